/**
 * Issuing and verifying portfolio documents.
 *
 * Every generated PDF is a new document: a fresh id from a CSPRNG (CUS-XXXX-XXXX, 40 random bits),
 * the SHA-256 of its canonical content (content.ts), and, once the last byte is drawn, the SHA-256
 * and length of the exact file. The row is written before the file's last chunk leaves the server,
 * so a downloaded file can always be checked. Rows are immutable (database trigger).
 *
 * Each row names the canonical JSON its content hash was made with (hash_encoding): documents
 * issued before RFC 8785 say 'legacy-2025'. Verifying never recomputes a content hash (the content
 * is not kept, only its hash), so a document of either encoding verifies by the hash it printed.
 *
 * The public verify page (no login) answers from these rows only. What it shows about a matching
 * document is deliberately the centre, the kind of document, the issue date and the page count, and
 * no personal data: whoever holds the document already reads the learner's name in it, and whoever
 * only has an id and a hash should learn nothing about a person from this page.
 */
import { createHash, randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { CANONICAL_ENCODING } from '$lib/core';
import { dbGet, dbRun, dbAll, writeTransaction, type Db } from '$lib/core/database';
import { organisation, user } from '$lib/server/db/schema';
import { recordSecurityEvent, type RequestContext } from '$lib/server/security/events';
import { portfolioDocument, type PortfolioDocument } from '$lib/server/db/assessment';
import { contentHashOf, portfolioContent, type PortfolioContent, type PortfolioKind } from './content';
import { renderPortfolio, type RenderOptions, type RenderSummary } from './render';
import { workplaceImages } from '$lib/server/workplace/portfolio';

// Crockford's base 32: no I, L, O or U, so an id read aloud or retyped is not misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const DOCUMENT_ID_PATTERN = /^CUS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export function newDocumentId(): string {
	const bytes = randomBytes(5);
	let bits = 0n;
	for (const b of bytes) bits = (bits << 8n) | BigInt(b);
	let id = '';
	for (let i = 0; i < 8; i++) {
		id = ALPHABET[Number(bits & 31n)] + id;
		bits >>= 5n;
	}
	return `CUS-${id.slice(0, 4)}-${id.slice(4)}`;
}

export interface IssueRequest {
	learnerId: string;
	kind: PortfolioKind;
	attemptId?: string;
}

export interface PreparedDocument {
	content: PortfolioContent;
	contentHash: string;
	organisationId: string;
	learnerId: string;
	attemptId: string | null;
}

/** The content of a new document, with its id and content hash, or undefined when there is nothing to issue. */
export async function prepareDocument(db: Db, request: IssueRequest, now = new Date()): Promise<PreparedDocument | undefined> {
	const learner = await dbGet(db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, request.learnerId)));
	if (!learner) return undefined;
	const content = await portfolioContent(db, { documentId: newDocumentId(), learnerId: request.learnerId, kind: request.kind, attemptId: request.attemptId, issuedAt: now.toISOString() });
	if (!content) return undefined;
	return {
		content,
		contentHash: contentHashOf(content),
		organisationId: learner.organisationId,
		learnerId: request.learnerId,
		attemptId: request.kind === 'attempt' ? (request.attemptId ?? null) : null
	};
}

export interface IssueOptions {
	origin: string;
	issuedBy: string;
	onData: (chunk: Uint8Array) => void;
	pause?: () => Promise<void>;
	/** Where the request came from, for the security event of the export. */
	request?: RequestContext;
	/** Draws the PDF: on this thread by default (tests), in a worker for the server. */
	render?: (content: PortfolioContent, options: RenderOptions) => Promise<RenderSummary>;
}

/**
 * Renders the document and records it. Chunks reach `onData` as they are drawn, one behind: the
 * last is handed over only after the row is written.
 */
export async function issueDocument(db: Db, prepared: PreparedDocument, options: IssueOptions): Promise<PortfolioDocument> {
	const hash = createHash('sha256');
	let length = 0;
	let held: Buffer | null = null;
	const render = options.render ?? renderPortfolio;
	const summary = await render(prepared.content, {
		origin: options.origin,
		contentHash: prepared.contentHash,
		images: await workplaceImages(db, prepared.content.workplace),
		pause: options.pause,
		onData: (chunk) => {
			hash.update(chunk);
			length += chunk.length;
			if (held) options.onData(held);
			held = chunk;
		}
	});
	const row: PortfolioDocument = {
		id: prepared.content.documentId,
		organisationId: prepared.organisationId,
		learnerId: prepared.learnerId,
		kind: prepared.content.kind,
		attemptId: prepared.attemptId,
		contentHash: prepared.contentHash,
		fileHash: hash.digest('hex'),
		pageCount: summary.pageCount,
		byteLength: length,
		issuedAt: prepared.content.issuedAt,
		issuedBy: options.issuedBy,
		hashEncoding: CANONICAL_ENCODING
	};
	await writeTransaction(db, async () => {
		await dbRun(db.insert(portfolioDocument).values(row));
		// ASVS 5.0 §16.2.1: who exported whose evidence; identifiers only, never its content.
		await recordSecurityEvent(db, {
			type: 'export.portfolio',
			userId: row.learnerId,
			actorId: row.issuedBy,
			...options.request,
			detail: { documentId: row.id, kind: row.kind }
		});
	});
	if (held) options.onData(held);
	return row;
}

export interface StreamOptions extends Omit<IssueOptions, 'onData'> {
	/**
	 * Called once when the stream ends, however it ends: done, failed or cancelled by the client. The
	 * stream ends only once what it returns has settled, so a client that has the whole document can ask
	 * for the next at once (the render slot it held is free by then).
	 */
	onSettled?: () => void | Promise<void>;
}

/** The document as a byte stream for a Response body: rendering starts at once, errors end the stream. */
function documentStream(db: Db, prepared: PreparedDocument, options: StreamOptions): ReadableStream<Uint8Array> {
	// A download the client gave up on stops at the next pause: nothing is recorded for it.
	let cancelled = false;
	let settled = false;
	const settle = async () => {
		if (settled) return;
		settled = true;
		await options.onSettled?.();
	};
	const pause = async () => {
		if (cancelled) throw new Error('The download was cancelled.');
		await (options.pause ?? (() => new Promise<void>((done) => setImmediate(done))))();
	};
	return new ReadableStream<Uint8Array>({
		start(controller) {
			const onData = (chunk: Uint8Array) => {
				if (!cancelled) controller.enqueue(new Uint8Array(chunk));
			};
			issueDocument(db, prepared, { ...options, pause, onData }).then(
				async () => {
					await settle();
					if (!cancelled) controller.close();
				},
				async (e: unknown) => {
					await settle();
					if (!cancelled) controller.error(e);
				}
			);
		},
		cancel() {
			// The render stops at its next pause and settles then: its slot is held until it has.
			cancelled = true;
		}
	});
}

/** The file name a download is saved under. */
function documentFileName(prepared: PreparedDocument): string {
	return `${prepared.content.kind === 'portfolio' ? 'portfolio' : 'attempt'}-${prepared.content.documentId}.pdf`;
}

// ── Verifying ────────────────────────────────────────────────────────────────────────────────

/** What the public page says about a matching document: no personal data (see the module comment). */
export interface IssuedFacts {
	id: string;
	centre: string;
	kind: PortfolioKind;
	issuedAt: string;
	pageCount: number;
}

export type VerificationOutcome = 'unchanged' | 'not-matching' | 'not-issued';

export interface Verification {
	outcome: VerificationOutcome;
	/** The document id the file or the form names, when one could be read. */
	claimedId: string | null;
	/** Only for an unchanged document. */
	document: IssuedFacts | null;
}

export type VerifyFormError = { code: 'verify.invalid'; field: 'id' | 'hash' | 'file'; message: string };

async function factsOf(db: Db, row: PortfolioDocument): Promise<IssuedFacts> {
	const centre = (await dbGet(db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, row.organisationId))))?.name ?? '';
	return { id: row.id, centre, kind: row.kind, issuedAt: row.issuedAt, pageCount: row.pageCount };
}

async function byId(db: Db, id: string): Promise<PortfolioDocument | undefined> {
	return await dbGet(db.select().from(portfolioDocument).where(eq(portfolioDocument.id, id)));
}

/** The document id a PDF names in its metadata (Keywords), if one can be read from the bytes. */
export function claimedDocumentId(bytes: Uint8Array): string | null {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
	const match = /custodian-document-id:(CUS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})/.exec(text);
	return match ? match[1]! : null;
}

/** An uploaded file: unchanged only when its bytes are exactly those issued. */
export async function verifyFile(db: Db, bytes: Uint8Array): Promise<Verification> {
	const fileHash = createHash('sha256').update(bytes).digest('hex');
	const issued = await dbGet(db.select().from(portfolioDocument).where(eq(portfolioDocument.fileHash, fileHash)));
	if (issued) return { outcome: 'unchanged', claimedId: issued.id, document: await factsOf(db, issued) };
	const claimedId = claimedDocumentId(bytes);
	if (claimedId && await byId(db, claimedId)) return { outcome: 'not-matching', claimedId, document: null };
	return { outcome: 'not-issued', claimedId, document: null };
}

export function normaliseDocumentId(input: string): string {
	return input.trim().toUpperCase();
}

/** An id and a content hash typed in: both must be those of one issued document. */
export async function verifyIdAndHash(db: Db, idInput: string, hashInput: string): Promise<{ ok: true; value: Verification } | { ok: false; error: VerifyFormError }> {
	const id = normaliseDocumentId(idInput);
	const hash = hashInput.trim().toLowerCase();
	if (!DOCUMENT_ID_PATTERN.test(id)) {
		return { ok: false, error: { code: 'verify.invalid', field: 'id', message: 'Enter the document id as printed on the document, like CUS-7K2M-QX4P.' } };
	}
	if (!/^[0-9a-f]{64}$/.test(hash)) {
		return { ok: false, error: { code: 'verify.invalid', field: 'hash', message: 'Enter the content SHA-256 as printed on the document: 64 letters and digits (0–9, a–f).' } };
	}
	const issued = await byId(db, id);
	if (!issued) return { ok: true, value: { outcome: 'not-issued', claimedId: id, document: null } };
	if (issued.contentHash !== hash) return { ok: true, value: { outcome: 'not-matching', claimedId: id, document: null } };
	return { ok: true, value: { outcome: 'unchanged', claimedId: id, document: await factsOf(db, issued) } };
}

/**
 * The largest upload the server accepts: adapter-node's BODY_SIZE_LIMIT (512K unless set; K, M and
 * G suffixes, or Infinity), so a file over it can be refused with a message before it is sent.
 */
export function uploadLimitBytes(setting: string | undefined): number {
	const value = (setting ?? '').trim();
	if (value === '') return 512 * 1024;
	if (value === 'Infinity') return Number.POSITIVE_INFINITY;
	const match = /^(\d+)([KMG]?)$/i.exec(value);
	if (!match) return 512 * 1024;
	const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
	return Number(match[1]) * unit;
}

/**
 * The download: a new document streamed as it is drawn. No Content-Length (it is not known until
 * the end); X-Document-Id and X-Evidence-Count let the page say what it is waiting for.
 */
export function documentResponse(db: Db, prepared: PreparedDocument, options: StreamOptions): Response {
	return new Response(documentStream(db, prepared, options), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="${documentFileName(prepared)}"`,
			'Cache-Control': 'no-store',
			// Endpoints get no CSP from SvelteKit: a PDF needs nothing and may be framed by no one.
			'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
			'X-Document-Id': prepared.content.documentId,
			'X-Evidence-Count': String(prepared.content.attempts.length)
		}
	});
}

/** The documents issued for a learner, newest first (what the learner's page lists). */
export async function documentsOf(db: Db, learnerId: string): Promise<Pick<PortfolioDocument, 'id' | 'kind' | 'attemptId' | 'issuedAt' | 'pageCount' | 'contentHash'>[]> {
	return await dbAll(db
		.select({ id: portfolioDocument.id, kind: portfolioDocument.kind, attemptId: portfolioDocument.attemptId, issuedAt: portfolioDocument.issuedAt, pageCount: portfolioDocument.pageCount, contentHash: portfolioDocument.contentHash })
		.from(portfolioDocument)
		.where(eq(portfolioDocument.learnerId, learnerId))
		.orderBy(desc(portfolioDocument.issuedAt))
		.limit(50));
}
