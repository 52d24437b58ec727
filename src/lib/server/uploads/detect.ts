/**
 * What a file is, from its first bytes (magic numbers), for the allow list in kinds.ts. A name's
 * extension is never consulted: a PNG called .pdf is a PNG, a program called .jpg is refused.
 * ZIP-based office documents and legacy Office files need a deeper look (office.ts), so the first
 * look only says "zip" or "cfb" for them. Relative imports only: a worker reads it.
 */
import type { UploadKind } from './kinds';

/** How many bytes of the start the first look needs. */
export const SNIFF_BYTES = 64;

export type FirstLook = { ok: true; kind: UploadKind | 'zip' | 'cfb' } | { ok: false; message: string };

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);

const FTYP_BRANDS: Record<string, UploadKind> = {
	'M4A ': 'm4a',
	'M4B ': 'm4a',
	'qt  ': 'mov',
	heic: 'heic',
	heix: 'heic',
	heim: 'heic',
	heis: 'heic',
	hevc: 'heic',
	hevx: 'heic',
	mif1: 'heic',
	msf1: 'heic',
	isom: 'mp4',
	iso2: 'mp4',
	iso4: 'mp4',
	iso5: 'mp4',
	iso6: 'mp4',
	mp41: 'mp4',
	mp42: 'mp4',
	avc1: 'mp4',
	dash: 'mp4',
	mmp4: 'mp4',
	'M4V ': 'mp4',
	MSNV: 'mp4',
	'3gp4': 'mp4',
	'3gp5': 'mp4',
	'3gp6': 'mp4'
};

/** Said of the files people most often try that are not on the list. */
function refusalFor(head: Uint8Array): string {
	if (startsWith(head, [0x4d, 0x5a]) || startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) || ascii(head, 0, 2) === '#!') {
		return 'This file is a program or a script, not a document, photo, recording or video. Programs are never accepted as evidence.';
	}
	if (startsWith(head, [0x52, 0x61, 0x72, 0x21]) || startsWith(head, [0x37, 0x7a, 0xbc, 0xaf]) || startsWith(head, [0x1f, 0x8b])) {
		return 'This file is a compressed archive (RAR, 7z or gzip). Upload the documents, photos or recordings themselves, one by one.';
	}
	return 'This kind of file is not accepted: its content is not one of the kinds on the list (whatever its name says).';
}

/** The first look at a file's start. */
export function firstLook(head: Uint8Array): FirstLook {
	if (head.byteLength < 4) return { ok: false, message: 'This file is too short to be a document, photo, recording or video.' };
	if (ascii(head, 0, 5) === '%PDF-') return { ok: true, kind: 'pdf' };
	if (startsWith(head, [0xff, 0xd8, 0xff])) return { ok: true, kind: 'jpeg' };
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, kind: 'png' };
	if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return { ok: true, kind: 'gif' };
	if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return { ok: true, kind: 'webp' };
	if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE') return { ok: true, kind: 'wav' };
	if (ascii(head, 0, 4) === 'OggS') return { ok: true, kind: 'ogg' };
	if (ascii(head, 4, 4) === 'ftyp') {
		const kind = FTYP_BRANDS[ascii(head, 8, 4)];
		if (kind) return { ok: true, kind };
		return { ok: false, message: 'This is a media file of a kind not on the list. Save it as MP4, MOV or M4A and upload it again.' };
	}
	if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
		if (ascii(head, 0, Math.min(head.byteLength, SNIFF_BYTES)).includes('webm')) return { ok: true, kind: 'webm' };
		return { ok: false, message: 'This is a Matroska (MKV) video, which is not accepted. Save it as MP4 or WebM and upload it again.' };
	}
	// MP3: an ID3 tag, or an MPEG audio layer III frame header (sync bits, then layer bits 01).
	if (ascii(head, 0, 3) === 'ID3') return { ok: true, kind: 'mp3' };
	if (head[0] === 0xff && (head[1]! & 0xe0) === 0xe0 && ((head[1]! >> 1) & 0x03) === 0x01) return { ok: true, kind: 'mp3' };
	if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { ok: true, kind: 'zip' };
	if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { ok: true, kind: 'cfb' };
	return { ok: false, message: refusalFor(head) };
}

function utf16(name: string): Uint8Array {
	const bytes = new Uint8Array(name.length * 2);
	for (let i = 0; i < name.length; i++) bytes[i * 2] = name.charCodeAt(i);
	return bytes;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
	const first = needle[0]!;
	for (let i = haystack.indexOf(first); i !== -1 && i <= haystack.byteLength - needle.byteLength; i = haystack.indexOf(first, i + 1)) {
		if (startsWith(haystack, Array.from(needle), i)) return true;
	}
	return false;
}

/**
 * A legacy Office file (an OLE compound file) by the streams its directory names: "WordDocument"
 * for Word, "Workbook" or "Book" for Excel. Installers (.msi) and other compound files have
 * neither and are refused.
 */
export function compoundKind(bytes: Uint8Array): FirstLook {
	if (contains(bytes, utf16('WordDocument'))) return { ok: true, kind: 'doc' };
	if (contains(bytes, utf16('Workbook')) || contains(bytes, utf16('Book\u0000'))) return { ok: true, kind: 'xls' };
	return { ok: false, message: 'This is an older Microsoft file that is neither a Word document nor an Excel workbook (it may be an installer). It is not accepted.' };
}
