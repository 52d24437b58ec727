import { describe, expect, it } from 'vitest';
import { firstLook } from './detect';
import { heicHasLocation, stripGif, stripPng, stripWebp, UnreadableImage, stripJpeg } from './strip';
import { PNG_BYTES } from './testing';

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u32le = (n: number) => u32be(n).reverse();
const has = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, 'latin1'));

/** A TIFF block whose IFD0 points to GPS data (what EXIF carries). */
const TIFF_WITH_GPS = [...ascii('MM'), 0, 42, ...u32be(8), 0, 1, 0x88, 0x25, 0, 4, ...u32be(1), ...u32be(26), ...u32be(0), 0, 0];

describe('removing location and camera metadata, byte by byte', () => {
	it('takes the EXIF and text chunks out of a PNG and keeps the image chunks', () => {
		const chunk = (type: string, data: number[]) => [...u32be(data.length), ...ascii(type), ...data, 0, 0, 0, 0];
		const png = Uint8Array.from([...PNG_BYTES.subarray(0, 33), ...chunk('eXIf', TIFF_WITH_GPS), ...chunk('tEXt', ascii('Comment\u0000Kitchen, 12 High St')), ...PNG_BYTES.subarray(33)]);
		const stripped = stripPng(png);
		expect(stripped.removed).toEqual(['GPS location', 'camera details (EXIF)', 'text notes']);
		expect(has(stripped.bytes, 'eXIf') || has(stripped.bytes, 'High St')).toBe(false);
		expect(Buffer.compare(stripped.bytes, PNG_BYTES)).toBe(0);
	});

	it('takes the EXIF and XMP chunks out of a WebP, clears their flags and fixes the RIFF size', () => {
		const chunk = (type: string, data: number[]) => [...ascii(type), ...u32le(data.length), ...data, ...(data.length % 2 ? [0] : [])];
		const body = [...ascii('WEBP'), ...chunk('VP8X', [0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0]), ...chunk('VP8L', [0x2f, 1, 2, 3, 4]), ...chunk('EXIF', TIFF_WITH_GPS), ...chunk('XMP ', ascii('<x:xmpmeta/>'))];
		const webp = Uint8Array.from([...ascii('RIFF'), ...u32le(body.length), ...body]);
		const stripped = stripWebp(webp);
		expect(stripped.removed).toEqual(['GPS location', 'camera details (EXIF)', 'XMP metadata']);
		expect(has(stripped.bytes, 'EXIF') || has(stripped.bytes, 'XMP ')).toBe(false);
		expect(stripped.bytes[20]! & 0x0c).toBe(0);
		expect(new DataView(stripped.bytes.buffer, stripped.bytes.byteOffset).getUint32(4, true)).toBe(stripped.bytes.byteLength - 8);
		expect(firstLook(stripped.bytes)).toEqual({ ok: true, kind: 'webp' });
	});

	it('takes the XMP and comment blocks out of a GIF and keeps the frame', () => {
		const header = [...ascii('GIF89a'), 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255];
		const xmp = [0x21, 0xff, 11, ...ascii('XMP DataXMP'), 12, ...ascii('exif:GPSLati'), 0];
		const comment = [0x21, 0xfe, 5, ...ascii('Leeds'), 0];
		const frame = [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4c, 0x01, 0];
		const gif = Uint8Array.from([...header, ...xmp, ...comment, ...frame, 0x3b]);
		const stripped = stripGif(gif);
		expect(stripped.removed).toEqual(['GPS location', 'XMP metadata', 'a comment']);
		expect(Array.from(stripped.bytes)).toEqual([...header, ...frame, 0x3b]);
	});

	it('refuses an image that is cut short or not what it starts as', () => {
		expect(() => stripJpeg(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00, 1, 2]))).toThrow(UnreadableImage);
		expect(() => stripGif(Uint8Array.from([...ascii('GIF89a'), 1, 0, 1, 0, 0, 0, 0, 0x99]))).toThrow(UnreadableImage);
	});

	it('finds a location in a HEIC photo’s EXIF, and none where there is none', () => {
		const heic = (extra: number[]) => Uint8Array.from([0, 0, 0, 24, ...ascii('ftypheic'), 0, 0, 0, 0, ...ascii('mif1heic'), ...extra]);
		expect(firstLook(heic([]))).toEqual({ ok: true, kind: 'heic' });
		expect(heicHasLocation(heic([...ascii('Exif\u0000\u0000'), ...TIFF_WITH_GPS]))).toBe(true);
		expect(heicHasLocation(heic([...ascii('Exif\u0000\u0000'), ...ascii('MM'), 0, 42, ...u32be(8), 0, 0]))).toBe(false);
	});
});
