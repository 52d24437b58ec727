/**
 * The name a stored file is downloaded under: the learner's own words, never a path. Directory
 * parts (either slash), control characters, bidirectional overrides (which can make "exe.jpg"
 * read as "gpj.exe") and characters Windows refuses in names are removed; the extension is the
 * one the content matches (kinds.ts), keeping the learner's own spelling when it already matches.
 */
import { UPLOAD_KINDS, type UploadKind } from './kinds';

const MAX_NAME_LENGTH = 120;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g;

export function safeFileName(original: string, kind: UploadKind): string {
	const lastPart = original.split(/[/\\]/).pop() ?? '';
	const cleaned = lastPart.normalize('NFC').replace(UNSAFE, '').replace(/\s+/g, ' ').trim().replace(/^[.\s]+|[.\s]+$/g, '');
	const dot = cleaned.lastIndexOf('.');
	const extension = dot > 0 ? cleaned.slice(dot + 1).toLowerCase() : '';
	const allowed: readonly string[] = UPLOAD_KINDS[kind].extensions;
	const keep = allowed.includes(extension);
	const stem = (dot > 0 ? cleaned.slice(0, dot) : cleaned).replace(/[.\s]+$/g, '') || 'evidence';
	const suffix = keep ? extension : allowed[0]!;
	return `${stem.slice(0, MAX_NAME_LENGTH - suffix.length - 1)}.${suffix}`;
}
