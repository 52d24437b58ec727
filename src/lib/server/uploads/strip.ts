/**
 * Removing what a photo says about where and with what it was taken (GPS location, camera and
 * software details, XMP and IPTC records, comments) before it is kept, byte by byte: the image
 * data itself is copied untouched (no re-encoding, no loss of quality). A JPEG keeps only its
 * orientation, written back as the one EXIF field, so a phone photo stays the right way up.
 * Colour profiles stay: they say nothing about the learner.
 * What was removed is said in words and recorded on the upload (`metadataRemoved`).
 * Runs in a worker (upload-jobs.ts). Relative imports only.
 */
import type { StrippedImage } from './kinds';

export interface Stripped {
	bytes: Uint8Array;
	/** What was removed, in words ("GPS location", "camera details (EXIF)"…); empty if nothing. */
	removed: string[];
}

export class UnreadableImage extends Error {}

function need(condition: boolean): asserts condition {
	if (!condition) throw new UnreadableImage('The image is damaged or not what it starts as.');
}

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.byteLength;
	}
	return out;
}

interface ExifFacts {
	gps: boolean;
	orientation: number;
}

/** IFD0 of a TIFF structure (an EXIF block): whether it points to GPS data, and the orientation. */
function exifFacts(tiff: Uint8Array): ExifFacts {
	const facts: ExifFacts = { gps: false, orientation: 1 };
	if (tiff.byteLength < 8) return facts;
	const little = ascii(tiff, 0, 2) === 'II';
	const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
	const u16 = (at: number) => view.getUint16(at, little);
	const u32 = (at: number) => view.getUint32(at, little);
	const ifd = u32(4);
	if (ifd + 2 > tiff.byteLength) return facts;
	const count = u16(ifd);
	for (let i = 0; i < count; i++) {
		const entry = ifd + 2 + i * 12;
		if (entry + 12 > tiff.byteLength) break;
		const tag = u16(entry);
		if (tag === 0x8825) facts.gps = true;
		if (tag === 0x0112) facts.orientation = u16(entry + 8);
	}
	return facts;
}

const XMP_MARKER = 'http://ns.adobe.com/xap/1.0/\u0000';

function xmpMentionsGps(bytes: Uint8Array): boolean {
	return /GPS(Latitude|Longitude)|exif:GPS/i.test(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
}

/** An APP1 EXIF segment holding only the orientation (big-endian TIFF, IFD0 with one entry). */
function orientationOnlyExif(orientation: number): Uint8Array {
	const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
	const payload = [...Array.from('Exif\u0000\u0000', (c) => c.charCodeAt(0)), ...tiff];
	const length = payload.length + 2;
	return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
}

export function stripJpeg(bytes: Uint8Array): Stripped {
	need(bytes[0] === 0xff && bytes[1] === 0xd8);
	const removed = new Set<string>();
	const kept: Uint8Array[] = [bytes.subarray(0, 2)];
	let orientation = 1;
	let at = 2;
	for (;;) {
		need(at + 4 <= bytes.byteLength && bytes[at] === 0xff);
		const marker = bytes[at + 1]!;
		if (marker === 0xff) {
			at++; // fill byte
			continue;
		}
		if (marker === 0xda || marker === 0xd9) break; // start of scan: the image data follows, copied whole
		const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
		need(length >= 2 && at + 2 + length <= bytes.byteLength);
		const segment = bytes.subarray(at, at + 2 + length);
		const payload = segment.subarray(4);
		if (marker === 0xe1 && ascii(payload, 0, 6) === 'Exif\u0000\u0000') {
			const facts = exifFacts(payload.subarray(6));
			if (facts.gps) removed.add('GPS location');
			removed.add('camera details (EXIF)');
			if (facts.orientation >= 2 && facts.orientation <= 8) orientation = facts.orientation;
		} else if (marker === 0xe1) {
			if (ascii(payload, 0, XMP_MARKER.length) === XMP_MARKER && xmpMentionsGps(payload)) removed.add('GPS location');
			removed.add('XMP metadata');
		} else if (marker === 0xed) {
			removed.add('IPTC metadata');
		} else if (marker === 0xfe) {
			removed.add('a comment');
		} else {
			kept.push(segment);
		}
		at += 2 + length;
	}
	if (orientation !== 1) kept.splice(1, 0, orientationOnlyExif(orientation));
	kept.push(bytes.subarray(at));
	return { bytes: concat(kept), removed: [...removed] };
}

export function stripPng(bytes: Uint8Array): Stripped {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const removed = new Set<string>();
	const kept: Uint8Array[] = [bytes.subarray(0, 8)];
	let at = 8;
	while (at < bytes.byteLength) {
		need(at + 12 <= bytes.byteLength);
		const length = view.getUint32(at);
		const type = ascii(bytes, at + 4, 4);
		need(at + 12 + length <= bytes.byteLength);
		const chunk = bytes.subarray(at, at + 12 + length);
		const data = chunk.subarray(8, 8 + length);
		if (type === 'eXIf') {
			if (exifFacts(data).gps) removed.add('GPS location');
			removed.add('camera details (EXIF)');
		} else if (type === 'iTXt' && ascii(data, 0, 17) === 'XML:com.adobe.xmp') {
			if (xmpMentionsGps(data)) removed.add('GPS location');
			removed.add('XMP metadata');
		} else if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
			removed.add('text notes');
		} else {
			kept.push(chunk);
		}
		at += 12 + length;
		if (type === 'IEND') break;
	}
	return { bytes: concat(kept), removed: [...removed] };
}

export function stripWebp(bytes: Uint8Array): Stripped {
	const removed = new Set<string>();
	const kept: Uint8Array[] = [];
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	need(bytes.byteLength >= 12);
	let at = 12;
	while (at + 8 <= bytes.byteLength) {
		const type = ascii(bytes, at, 4);
		const size = view.getUint32(at + 4, true);
		const end = at + 8 + size + (size % 2);
		need(at + 8 + size <= bytes.byteLength);
		const chunk = bytes.slice(at, Math.min(end, bytes.byteLength));
		if (type === 'EXIF') {
			const data = chunk.subarray(8, 8 + size);
			const tiff = ascii(data, 0, 6) === 'Exif\u0000\u0000' ? data.subarray(6) : data;
			if (exifFacts(tiff).gps) removed.add('GPS location');
			removed.add('camera details (EXIF)');
		} else if (type === 'XMP ') {
			if (xmpMentionsGps(chunk)) removed.add('GPS location');
			removed.add('XMP metadata');
		} else {
			if (type === 'VP8X') chunk[8] = chunk[8]! & ~0x0c; // no EXIF (0x08) or XMP (0x04) any more
			kept.push(chunk);
		}
		at = end;
	}
	const body = concat(kept);
	const header = new Uint8Array(12);
	header.set(bytes.subarray(0, 12));
	new DataView(header.buffer).setUint32(4, body.byteLength + 4, true);
	return { bytes: concat([header, body]), removed: [...removed] };
}

export function stripGif(bytes: Uint8Array): Stripped {
	const removed = new Set<string>();
	need(bytes.byteLength >= 13);
	const packed = bytes[10]!;
	let at = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
	const kept: Uint8Array[] = [bytes.subarray(0, at)];
	/** The end of a run of data sub-blocks starting at `from`. */
	const subBlocksEnd = (from: number) => {
		let p = from;
		for (;;) {
			need(p < bytes.byteLength);
			const size = bytes[p]!;
			p += 1 + size;
			if (size === 0) return p;
		}
	};
	for (;;) {
		need(at < bytes.byteLength);
		const introducer = bytes[at]!;
		if (introducer === 0x3b) {
			kept.push(bytes.subarray(at, at + 1));
			break;
		}
		if (introducer === 0x21) {
			need(at + 2 < bytes.byteLength);
			const label = bytes[at + 1]!;
			const end = subBlocksEnd(at + 2);
			if (label === 0xff && ascii(bytes, at + 3, 11) === 'XMP DataXMP') {
				if (xmpMentionsGps(bytes.subarray(at, end))) removed.add('GPS location');
				removed.add('XMP metadata');
			} else if (label === 0xfe) {
				removed.add('a comment');
			} else {
				kept.push(bytes.subarray(at, end));
			}
			at = end;
			continue;
		}
		need(introducer === 0x2c && at + 10 < bytes.byteLength);
		const local = bytes[at + 9]!;
		const dataStart = at + 10 + (local & 0x80 ? 3 * 2 ** ((local & 0x07) + 1) : 0) + 1; // + LZW minimum code size
		const end = subBlocksEnd(dataStart);
		kept.push(bytes.subarray(at, end));
		at = end;
	}
	return { bytes: concat(kept), removed: [...removed] };
}

export function stripImage(kind: StrippedImage, bytes: Uint8Array): Stripped {
	switch (kind) {
		case 'jpeg':
			return stripJpeg(bytes);
		case 'png':
			return stripPng(bytes);
		case 'webp':
			return stripWebp(bytes);
		case 'gif':
			return stripGif(bytes);
	}
}

/**
 * Whether a HEIC photo carries a location (an EXIF item pointing to GPS data, or XMP naming one).
 * HEIC is not rewritten here: one with a location is refused, with how to send it without one.
 */
export function heicHasLocation(bytes: Uint8Array): boolean {
	const marker = Uint8Array.from('Exif\u0000\u0000', (c) => c.charCodeAt(0));
	for (let i = bytes.indexOf(0x45); i !== -1 && i + 6 < bytes.byteLength; i = bytes.indexOf(0x45, i + 1)) {
		if (marker.every((b, k) => bytes[i + k] === b) && exifFacts(bytes.subarray(i + 6)).gps) return true;
	}
	return xmpMentionsGps(bytes.subarray(0, Math.min(bytes.byteLength, 4 * 1024 * 1024)));
}
