/**
 * Serving a stored upload. Never with a type the browser could run: the media type found in the
 * content (kinds.ts), `nosniff`, a sandbox CSP (a PDF's scripts or an SVG-in-disguise cannot run
 * with the site's rights), and `attachment` for everything except photos and PDFs.
 */
import { dbGet } from '$lib/core/database';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { upload, type Upload } from '$lib/server/db/evidence';
import { canReadUpload, type UploadReader } from './access';
import { kindOfMediaType, UPLOAD_KINDS } from './kinds';
import { storageOf } from './stores';

/** The upload if it is stored and the user may read it. */
export async function storedUploadFor(db: Db, user: UploadReader, uploadId: string): Promise<Upload | undefined> {
	const row = await dbGet(db.select().from(upload).where(eq(upload.id, uploadId)));
	return row && await canReadUpload(db, user, row) ? row : undefined;
}

/** RFC 6266 / RFC 8187: an ASCII fallback and the real name, percent-encoded. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
	const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * The file as a response, streamed from its storage (never whole in memory); undefined when its
 * bytes are no longer in storage (or its row names no stored file).
 */
export async function uploadResponse(db: Db, file: Upload): Promise<Response | undefined> {
	const kind = kindOfMediaType(file.mediaType);
	const inline = kind !== undefined && UPLOAD_KINDS[kind].inline;
	const opened = await storageOf(file).open(db, file);
	if (!opened) return undefined;
	return new Response(opened.stream, {
		headers: {
			'Content-Length': String(opened.size),
			'Content-Type': kind ? UPLOAD_KINDS[kind].mediaType : 'application/octet-stream',
			'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', file.fileName),
			'X-Content-Type-Options': 'nosniff',
			'Content-Security-Policy': 'sandbox',
			'Cross-Origin-Resource-Policy': 'same-origin',
			'Cache-Control': 'private, no-store'
		}
	});
}
