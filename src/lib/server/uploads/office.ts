/**
 * Office documents that are ZIP archives (DOCX, XLSX, PPTX, ODT), opened within the evidence pack's
 * archive limits (portfolio/archive.ts: entry count, inflated size, zip-bomb ratio) and then
 * recognised by the parts inside. Refused: any other ZIP, an archive nested inside (an entry that
 * is itself a ZIP, RAR, 7z or gzip archive), and documents carrying macros. Runs in a worker
 * (upload-jobs.ts). Relative imports only.
 */
import { openArchive } from '../portfolio/archive';
import type { UploadKind } from './kinds';

export type OfficeVerdict = { ok: true; kind: UploadKind } | { ok: false; message: string };

const ARCHIVE_SIGNATURES = [
	[0x50, 0x4b, 0x03, 0x04], // ZIP (and DOCX, JAR …)
	[0x50, 0x4b, 0x05, 0x06], // an empty ZIP
	[0x52, 0x61, 0x72, 0x21], // RAR
	[0x37, 0x7a, 0xbc, 0xaf], // 7z
	[0x1f, 0x8b] // gzip
];
const ARCHIVE_NAMES = /\.(zip|rar|7z|gz|tgz|tar|jar|docx|docm|xlsx|xlsm|pptx|pptm|odt|ods|odp)$/i;

const isArchive = (data: Uint8Array) => ARCHIVE_SIGNATURES.some((sig) => sig.every((b, i) => data[i] === b));

export function inspectOfficeArchive(bytes: Uint8Array): OfficeVerdict {
	const opened = openArchive(bytes);
	if (!opened.ok) return { ok: false, message: `This document was refused: ${opened.message}` };
	for (const [name, data] of opened.entries) {
		if (isArchive(data) || ARCHIVE_NAMES.test(name)) {
			return { ok: false, message: `This document has another archive inside it (“${name.slice(0, 80)}”). Archives within documents are not accepted: save the document without the embedded file and upload it again.` };
		}
		if (/vbaProject\.bin$/i.test(name)) {
			return { ok: false, message: 'This document contains macros (a program), which are never accepted. Save it as an ordinary document (.docx, .xlsx or .pptx) and upload it again.' };
		}
	}
	const has = (name: string) => opened.entries.has(name);
	if (has('[Content_Types].xml')) {
		if (has('word/document.xml')) return { ok: true, kind: 'docx' };
		if (has('xl/workbook.xml')) return { ok: true, kind: 'xlsx' };
		if (has('ppt/presentation.xml')) return { ok: true, kind: 'pptx' };
	}
	const mimetype = opened.entries.get('mimetype');
	if (mimetype && new TextDecoder().decode(mimetype).trim() === 'application/vnd.oasis.opendocument.text') return { ok: true, kind: 'odt' };
	return { ok: false, message: 'This is a ZIP archive, not a document. Upload the documents, photos or recordings inside it one by one.' };
}
