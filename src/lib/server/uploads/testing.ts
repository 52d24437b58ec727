/**
 * Files for the upload tests (vitest and Playwright), made in code: a JPEG with a GPS location in
 * its EXIF, a PNG, office documents, a zip bomb, a program. No imports beyond fflate, so the
 * end-to-end tests can use it too.
 */
import { zipSync } from 'fflate';

/** A 16×12 JPEG as a browser's canvas encodes it (JFIF, no metadata). */
const PLAIN_JPEG =
	'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAMABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABQAG/8QAJhAAAQEHAQkAAAAAAAAAAAAAEgABAgUGERMUMQQVFiMkQ1Fiof/EABUBAQEAAAAAAAAAAAAAAAAAAAIH/8QAHBEAAgICAwAAAAAAAAAAAAAAAQIAAxExQYHw/9oADAMBAAIRAxEAPwDTSJKHFed12JjB2bhEXsylB+oqaoPuGPbVDb+RYHmABE4x7SrfNNUSpCT1rKzUECYbk5317U//2Q==';

/** An 16×12 PNG. */
export const PNG_BYTES = Uint8Array.from(
	atob('iVBORw0KGgoAAAANSUhEUgAAABAAAAAMCAYAAABr5z2BAAAASUlEQVR4AcyPwQkAIAwDS0fRmZxFR3AWnclZdID2QOingXxCCDktq9+IVYJKOHDaFM9EmhCBrlJuEOoe4vl7gIqUmwdUpDw88AAAAP//yJIYbgAAAAZJREFUAwBwJDY5NAA8swAAAABJRU5ErkJggg=='),
	(c) => c.charCodeAt(0)
);

export const plainJpeg = (): Uint8Array => Uint8Array.from(atob(PLAIN_JPEG), (c) => c.charCodeAt(0));

/** EXIF (big-endian TIFF) with orientation 6 and a GPS IFD: 51°30′N 0°7′W (London). */
function exifWithGps(): Uint8Array {
	// Header (8) · IFD0 at 8: 2 entries, next 0 (to 38) · GPS IFD at 38: 5 entries, next 0 (to 104) · latitude at 104 · longitude at 128.
	const tiff = new Uint8Array(152);
	const view = new DataView(tiff.buffer);
	tiff.set([0x4d, 0x4d, 0x00, 0x2a], 0);
	view.setUint32(4, 8);
	const entry = (at: number, tag: number, type: number, count: number, value: number, short = false) => {
		view.setUint16(at, tag);
		view.setUint16(at + 2, type);
		view.setUint32(at + 4, count);
		if (short) view.setUint16(at + 8, value);
		else view.setUint32(at + 8, value);
	};
	view.setUint16(8, 2);
	entry(10, 0x0112, 3, 1, 6, true); // Orientation: rotate 90°
	entry(22, 0x8825, 4, 1, 38); // GPSInfo
	view.setUint16(38, 5);
	entry(40, 0x0000, 1, 4, 0x02030000); // GPSVersionID 2.3.0.0
	entry(52, 0x0001, 2, 2, 0x4e000000); // GPSLatitudeRef "N"
	entry(64, 0x0002, 5, 3, 104); // GPSLatitude
	entry(76, 0x0003, 2, 2, 0x57000000); // GPSLongitudeRef "W"
	entry(88, 0x0004, 5, 3, 128); // GPSLongitude
	const rationals = (at: number, values: number[]) =>
		values.forEach((v, i) => {
			view.setUint32(at + i * 8, v);
			view.setUint32(at + i * 8 + 4, 1);
		});
	rationals(104, [51, 30, 0]);
	rationals(128, [0, 7, 0]);
	return tiff;
}

/** A JPEG whose EXIF records where it was taken (GPS) and an orientation, and an XMP packet naming the place. */
export function jpegWithGps(): Uint8Array {
	const plain = plainJpeg();
	const tiff = exifWithGps();
	const exif = new Uint8Array(4 + 6 + tiff.byteLength);
	exif.set([0xff, 0xe1, (exif.byteLength - 2) >> 8, (exif.byteLength - 2) & 0xff]);
	exif.set(Array.from('Exif\u0000\u0000', (c) => c.charCodeAt(0)), 4);
	exif.set(tiff, 10);
	const xmpText = 'http://ns.adobe.com/xap/1.0/\u0000<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="51,30.0N"/></x:xmpmeta>';
	const xmpBytes = new TextEncoder().encode(xmpText);
	const xmp = new Uint8Array(4 + xmpBytes.byteLength);
	xmp.set([0xff, 0xe1, (xmp.byteLength - 2) >> 8, (xmp.byteLength - 2) & 0xff]);
	xmp.set(xmpBytes, 4);
	const out = new Uint8Array(plain.byteLength + exif.byteLength + xmp.byteLength);
	out.set(plain.subarray(0, 2));
	out.set(exif, 2);
	out.set(xmp, 2 + exif.byteLength);
	out.set(plain.subarray(2), 2 + exif.byteLength + xmp.byteLength);
	return out;
}

const text = (s: string) => new TextEncoder().encode(s);

/** A minimal Word document (the parts that make it one), with optional extra entries. */
export function docx(extra: Record<string, Uint8Array> = {}): Uint8Array {
	return zipSync({
		'[Content_Types].xml': text('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
		'_rels/.rels': text('<?xml version="1.0"?><Relationships/>'),
		'word/document.xml': text('<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>Call log</w:t></w:r></w:p></w:body></w:document>'),
		...extra
	});
}

/** A Word document with a ZIP archive inside it. */
export function docxWithNestedArchive(): Uint8Array {
	return docx({ 'word/embeddings/oleObject1.bin': zipSync({ 'inner.txt': text('hello') }) });
}

/** A Word document with one part that inflates over a thousand times its size. */
export function docxZipBomb(): Uint8Array {
	return docx({ 'word/media/padding.xml': new Uint8Array(8 * 1024 * 1024) });
}

/** The start of a Windows program ("MZ"), padded. */
export function windowsProgram(): Uint8Array {
	const bytes = new Uint8Array(2048);
	bytes.set([0x4d, 0x5a, 0x90, 0x00]);
	bytes.set(text('This program cannot be run in DOS mode.'), 78);
	return bytes;
}

/** A PDF of about `size` bytes (a real header and trailer around padding). */
export function pdfOf(size: number): Uint8Array {
	const head = text('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n');
	const tail = text('\n%%EOF\n');
	const bytes = new Uint8Array(Math.max(size, head.byteLength + tail.byteLength)).fill(0x20);
	bytes.set(head);
	bytes.set(tail, bytes.byteLength - tail.byteLength);
	return bytes;
}
