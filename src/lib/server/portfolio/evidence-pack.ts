/**
 * The evidence pack (issue 17, item 6): one download per learner that a centre can hand to an
 * external quality assurer. A ZIP holding
 *   - portfolio.pdf: the learner's whole portfolio, issued and recorded exactly as its own download;
 *   - evidence/NN …: each other item of evidence (witness testimony, observation) as a text file;
 *   - workplace/<item title>/<file name>: each file of the learner's workplace evidence, its bytes
 *     read from storage (uploads/storage.ts) and checked against the SHA-256 recorded on upload.
 *     A file missing from storage or no longer matching is NOT packed: the manifest says so (its
 *     `status`), and so does the location sheet;
 *   - evidence-location.csv: criterion → the items that evidence it and where each is in the pack;
 *   - manifest.json: every file's path, SHA-256 and length, the criteria each evidences, the signed
 *     decisions' signature (and countersignature) hashes, the workplace items with their files and
 *     their decisions' signatures, countersignatures and IQA signatures, the learner, the centre, who issued it and
 *     when, and `manifestHash`, the SHA-256 of the canonical JSON (RFC 8785) of all the rest.
 * The pack is recorded as a portfolio_document of kind 'evidence-pack': content hash = manifestHash,
 * file hash = the ZIP's SHA-256, page count = the PDF's, byte length = the ZIP's. So /verify knows
 * the exact file, and a repacked or edited one by its manifest (evidence-pack-check.ts).
 *
 * File names are built from user text (a witness's name), so they are sanitised: no path characters,
 * no `..`, no control characters, bounded length, unique within the pack.
 *
 * Memory: the pack is built whole (the PDF is a few hundred KB for 20 attempts; testimony is text;
 * workplace files are bounded by the learner's upload quota, uploads/storage.ts uploadLimits); it is
 * zipped in a worker thread (pack-jobs.ts) so the event loop is never held.
 */
import { dbGet, dbRun } from '$lib/core/database';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { canonicalHash, CANONICAL_ENCODING, writeTransaction, type Db } from '$lib/core';
import { user } from '$lib/server/db/schema';
import { portfolioDocument, type PortfolioDocument } from '$lib/server/db/assessment';
import { recordSecurityEvent, type RequestContext } from '$lib/server/security/events';
import { runInWorker } from '$lib/server/workers/pool';
import { workplaceFileBytes } from '$lib/server/workplace/portfolio';
import type { PortfolioContent } from './content';
import { issueDocument, newDocumentId, prepareDocument } from './documents';
import type { RenderOptions, RenderSummary } from './render';
import type { packJobs } from './pack-jobs';

export const PACK_FORMAT = 'custodian-evidence-pack/1';
export const MANIFEST_PATH = 'manifest.json';
export const PDF_PATH = 'portfolio.pdf';
export const LOCATION_PATH = 'evidence-location.csv';
/** The longest file name (without folder) a pack entry gets, in characters. */
export const MAX_NAME_LENGTH = 120;

export interface ManifestFile {
	path: string;
	sha256: string;
	bytes: number;
	/** Criterion codes this file evidences (the PDF: every criterion its attempts evidence). */
	criteria: string[];
}

export interface ManifestDecision {
	attemptId: string;
	attemptTitle: string;
	sequence: number;
	outcome: string;
	signedName: string;
	signedAt: string;
	signatureHash: string;
	/** The qualified assessor's countersignature of a trainee's decision; null when none was needed or given. */
	countersignatureHash: string | null;
}

/** One file of a workplace item: where it is in the pack, or why it is not there. */
export interface ManifestWorkplaceFile {
	uploadId: string;
	name: string;
	mediaType: string | null;
	/** The SHA-256 and length recorded when the file was uploaded. */
	sha256: string | null;
	bytes: number;
	/**
	 * packed: at `path`, its bytes matching `sha256`. missing: not in storage. changed: in storage but
	 * no longer matching `sha256`. unhashed: no SHA-256 was recorded, so it cannot be vouched for.
	 * too-large: larger than a pack takes (32 MB a file, 128 MB in all): fetched on its own from the
	 * learner's evidence, its hash here to check it against. Only a packed file is in the pack.
	 */
	status: 'packed' | 'missing' | 'changed' | 'unhashed' | 'too-large';
	path: string | null;
}

export interface ManifestWorkplaceItem {
	evidenceId: string;
	title: string;
	submittedAt: string | null;
	/** Criterion codes it evidences: those the learner claimed and those its decisions judged. */
	criteria: string[];
	files: ManifestWorkplaceFile[];
}

export interface ManifestWorkplaceDecision {
	evidenceId: string;
	evidenceTitle: string;
	sequence: number;
	outcomeLabel: string;
	superseded: boolean;
	signedName: string;
	signedAt: string;
	evidenceHash: string;
	signatureHash: string;
	/** A trainee's decision: the qualified assessor's countersignature (or sending back); null when none was needed or given. */
	countersignatureHash: string | null;
	/** The IQA's signed rounds on it, when it was sampled, oldest first. */
	iqa: { stage: string; round: number; agreed: boolean; signedName: string; signedAt: string; signatureHash: string }[];
}

export interface ManifestBody {
	format: typeof PACK_FORMAT;
	packId: string;
	hashEncoding: string;
	issuedAt: string;
	issuedBy: { id: string; name: string };
	learner: { id: string; name: string };
	centre: { id: string; name: string };
	unit: string;
	portfolioDocument: { id: string; contentHash: string; pageCount: number };
	files: ManifestFile[];
	decisions: ManifestDecision[];
	workplace: ManifestWorkplaceItem[];
	workplaceDecisions: ManifestWorkplaceDecision[];
}

export interface Manifest extends ManifestBody {
	manifestHash: string;
}

export interface PackFile {
	path: string;
	bytes: Uint8Array;
}

export function sha256OfBytes(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** The hash a manifest must carry: over everything in it but the hash itself. */
export function manifestHashOf(manifest: ManifestBody | Manifest): string {
	const body: Record<string, unknown> = { ...manifest };
	delete body.manifestHash;
	return canonicalHash(body, 'manifest');
}

// ── Names ────────────────────────────────────────────────────────────────────────────────────

/**
 * A file name from user text: path separators, control and reserved characters become spaces, runs
 * of dots become one (so never `..`), no leading dot or space, at most `max` characters.
 */
export function safeFileName(text: string, max = MAX_NAME_LENGTH): string {
	const cleaned = text
		.normalize('NFC')
		.replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g, ' ')
		.replace(/\.{2,}/g, '.')
		.replace(/\s+/g, ' ')
		.replace(/^[\s.]+/, '')
		.trim();
	const cut = [...cleaned].slice(0, max).join('').replace(/[\s.]+$/, '');
	return cut || 'item';
}

/** Keeps names unique within a pack: a second "x.txt" becomes "x (2).txt". */
export function uniqueNamer(): (name: string) => string {
	const taken = new Set<string>();
	return (name) => {
		const dot = name.lastIndexOf('.');
		const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
		let candidate = name;
		for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
		taken.add(candidate.toLowerCase());
		return candidate;
	};
}

// ── Contents ─────────────────────────────────────────────────────────────────────────────────

const encoder = new TextEncoder();
const list = (codes: readonly string[] | null) => (codes && codes.length > 0 ? codes.join(', ') : 'none');

function testimonyText(t: PortfolioContent['testimony'][number], learner: string): string {
	return [
		'Witness testimony',
		`Learner: ${learner}`,
		`Witness: ${t.witnessName}`,
		`Job role: ${t.witnessRole}`,
		`Relationship to the learner: ${t.relationship}`,
		`Witnessed on: ${t.witnessedOn}`,
		`Criteria the witness names: ${list(t.declaredCriteria)}`,
		t.criteria === null ? 'Criteria accepted by the assessor: not yet mapped' : `Criteria accepted by the assessor: ${list(t.criteria)} (${t.mappedBy ?? ''}, ${t.mappedAt ?? ''})`,
		'',
		'Statement:',
		t.statement,
		''
	].join('\n');
}

function observationText(o: PortfolioContent['observations'][number], learner: string): string {
	return [
		'Observation record',
		`Learner: ${learner}`,
		`Observed by: ${o.assessorName}`,
		`Observed on: ${o.observedOn}`,
		`Setting: ${o.setting}`,
		`Criteria: ${list(o.criteria)}`,
		`Recorded at: ${o.recordedAt}`,
		'',
		'What was observed:',
		o.description,
		''
	].join('\n');
}

/** A CSV cell: quoted, quotes doubled, and a leading = + - @ made inert for spreadsheets (CSV injection). */
function cell(value: string): string {
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return `"${safe.replace(/"/g, '""')}"`;
}

interface LocatedItem {
	kind: string;
	title: string;
	location: string;
	criteria: readonly string[];
	signatures: string;
}

/** Every attempt's evidenced criteria: its marking points' and its signed decisions'. */
function attemptCriteria(a: PortfolioContent['attempts'][number]): string[] {
	return [...new Set([...a.points.flatMap((p) => p.criteria), ...a.decisions.flatMap((d) => d.criteria.map((c) => c.code))])].sort();
}

function locationSheet(content: PortfolioContent, items: LocatedItem[]): string {
	const rows = [['Criterion', 'Title', 'State', 'Evidence', 'Kind', 'Where in this pack', 'Signed decisions (signature SHA-256)'].map(cell).join(',')];
	for (const row of content.coverage) {
		const evidencing = items.filter((i) => i.criteria.includes(row.code));
		if (evidencing.length === 0) rows.push([row.code, row.title, row.stateLabel, '', '', '', ''].map(cell).join(','));
		for (const item of evidencing) rows.push([row.code, row.title, row.stateLabel, item.title, item.kind, item.location, item.signatures].map(cell).join(','));
	}
	return rows.join('\r\n') + '\r\n';
}

export interface PackInput {
	content: PortfolioContent;
	pdf: { bytes: Uint8Array; documentId: string; contentHash: string; pageCount: number };
	packId: string;
	issuedAt: string;
	issuedBy: { id: string; name: string };
	learner: { id: string; name: string };
	centre: { id: string; name: string };
	/** The stored bytes of the workplace evidence's files by upload id (null: missing), unchecked: packFiles checks them. */
	workplaceFiles?: ReadonlyMap<string, Uint8Array | null | 'too-large'>;
}

/** Every workplace item's evidenced criteria: those claimed and those its decisions judged. */
function workplaceCriteria(w: PortfolioContent['workplace'][number]): string[] {
	return [...new Set([...w.criteriaClaimed, ...w.decisions.flatMap((d) => d.criteria.map((c) => c.code))])].sort();
}

const NOT_PACKED: Record<Exclude<ManifestWorkplaceFile['status'], 'packed'>, string> = {
	missing: 'not packed: missing from storage',
	changed: 'not packed: no longer matches its recorded SHA-256',
	unhashed: 'not packed: no SHA-256 was recorded',
	'too-large': 'not packed: larger than a pack takes (32 MB a file, 128 MB in all); check the file from the learner’s evidence against this SHA-256'
};

/** The pack's files (manifest.json last) and its manifest: pure, so it can be tested without a render. */
export function packFiles(input: PackInput): { files: PackFile[]; manifest: Manifest } {
	const { content } = input;
	const name = uniqueNamer();
	name(PDF_PATH);
	name(LOCATION_PATH);
	name(MANIFEST_PATH);
	const files: { file: PackFile; criteria: string[] }[] = [];
	const items: LocatedItem[] = [];
	const pdfCriteria = [...new Set(content.attempts.flatMap(attemptCriteria))].sort();
	files.push({ file: { path: PDF_PATH, bytes: input.pdf.bytes }, criteria: pdfCriteria });
	content.attempts.forEach((a, i) => {
		items.push({
			kind: 'Simulator attempt',
			title: a.title,
			location: `${PDF_PATH}, attempt ${i + 1} of ${content.attempts.length}`,
			criteria: attemptCriteria(a),
			signatures: a.decisions
				.map((d) => `#${d.sequence} ${d.outcomeLabel}${d.superseded ? ' (superseded)' : ''}: ${d.signatureHash}${d.countersignature ? `; countersigned ${d.countersignature.signatureHash}` : ''}`)
				.join(' | ')
		});
	});
	let n = 0;
	const evidenceFile = (label: string, who: string, date: string, text: string, criteria: string[]) => {
		n++;
		const file = `evidence/${name(safeFileName(`${String(n).padStart(2, '0')} ${label} – ${who} – ${date.slice(0, 10)}`) + '.txt')}`;
		files.push({ file: { path: file, bytes: encoder.encode(text) }, criteria });
		items.push({ kind: label, title: `${label}: ${who}, ${date.slice(0, 10)}`, location: file, criteria, signatures: '' });
	};
	for (const t of content.testimony) evidenceFile('Witness testimony', t.witnessName, t.witnessedOn, testimonyText(t, content.learner.name), [...(t.criteria ?? t.declaredCriteria)].sort());
	for (const o of content.observations) evidenceFile('Observation', o.assessorName, o.observedOn, observationText(o, content.learner.name), [...o.criteria].sort());

	const folder = uniqueNamer();
	const workplace: ManifestWorkplaceItem[] = content.workplace.map((w) => {
		const dir = `workplace/${folder(safeFileName(w.title))}`;
		const fileName = uniqueNamer();
		const criteria = workplaceCriteria(w);
		const listed: ManifestWorkplaceFile[] = w.files.map((f) => {
			const stored = input.workplaceFiles?.get(f.uploadId) ?? null;
			const status: ManifestWorkplaceFile['status'] =
				f.sha256 === null ? 'unhashed' : stored === null ? 'missing' : stored === 'too-large' ? 'too-large' : sha256OfBytes(stored) !== f.sha256 ? 'changed' : 'packed';
			let path: string | null = null;
			if (status === 'packed') {
				path = `${dir}/${fileName(safeFileName(f.name))}`;
				files.push({ file: { path, bytes: stored as Uint8Array }, criteria });
			}
			return { uploadId: f.uploadId, name: f.name, mediaType: f.mediaType, sha256: f.sha256, bytes: f.byteLength, status, path };
		});
		items.push({
			kind: 'Workplace evidence',
			title: w.title,
			location: listed.map((f) => (f.path ?? `${f.name} (${NOT_PACKED[f.status as keyof typeof NOT_PACKED]})`)).join('; ') || `${PDF_PATH}, workplace evidence (no files)`,
			criteria,
			signatures: w.decisions
				.map(
					(d) =>
						`#${d.sequence} ${d.outcomeLabel}${d.superseded ? ' (superseded)' : ''}: ${d.signatureHash}` +
						(d.countersignature ? `; countersigned ${d.countersignature.signatureHash}` : '') +
						(d.iqa ?? []).map((q) => `; IQA round ${q.round} ${q.signatureHash}`).join('')
				)
				.join(' | ')
		});
		return { evidenceId: w.evidenceId, title: w.title, submittedAt: w.submittedAt, criteria, files: listed };
	});
	files.splice(1, 0, { file: { path: LOCATION_PATH, bytes: encoder.encode(locationSheet(content, items)) }, criteria: [] });

	const body: ManifestBody = {
		format: PACK_FORMAT,
		packId: input.packId,
		hashEncoding: CANONICAL_ENCODING,
		issuedAt: input.issuedAt,
		issuedBy: input.issuedBy,
		learner: input.learner,
		centre: input.centre,
		unit: content.unit,
		portfolioDocument: { id: input.pdf.documentId, contentHash: input.pdf.contentHash, pageCount: input.pdf.pageCount },
		files: files.map(({ file, criteria }) => ({ path: file.path, sha256: sha256OfBytes(file.bytes), bytes: file.bytes.byteLength, criteria })),
		decisions: content.attempts.flatMap((a) =>
			a.decisions.map((d) => ({
				attemptId: a.id,
				attemptTitle: a.title,
				sequence: d.sequence,
				outcome: d.outcome,
				signedName: d.signedName,
				signedAt: d.signedAt,
				signatureHash: d.signatureHash,
				countersignatureHash: d.countersignature?.signatureHash ?? null
			}))
		),
		workplace,
		workplaceDecisions: content.workplace.flatMap((w) =>
			w.decisions.map((d) => ({
				evidenceId: w.evidenceId,
				evidenceTitle: w.title,
				sequence: d.sequence,
				outcomeLabel: d.outcomeLabel,
				superseded: d.superseded,
				signedName: d.signedName,
				signedAt: d.signedAt,
				evidenceHash: d.evidenceHash,
				signatureHash: d.signatureHash,
				countersignatureHash: d.countersignature?.signatureHash ?? null,
				iqa: (d.iqa ?? []).map((q) => ({ stage: q.stage, round: q.round, agreed: q.agreed, signedName: q.signedName, signedAt: q.signedAt, signatureHash: q.signatureHash }))
			}))
		)
	};
	const manifest: Manifest = { ...body, manifestHash: manifestHashOf(body) };
	return { files: [...files.map((f) => f.file), { path: MANIFEST_PATH, bytes: encoder.encode(JSON.stringify(manifest, null, 2) + '\n') }], manifest };
}

// ── Issuing ──────────────────────────────────────────────────────────────────────────────────

/** A pack of 20 attempts zips in well under a second; a slow, busy server gets thirty times that. */
const ZIP_BUDGET_MS = 30_000;

/** Zips in a worker (pack-jobs.ts). */
export async function zipOffThread(files: PackFile[], mtime: string): Promise<Uint8Array> {
	const { PACK_JOBS_URL } = await import('./pack-jobs');
	const outcome = await runInWorker<typeof packJobs, 'zipPack'>(PACK_JOBS_URL, 'zipPack', { files, mtime }, { budgetMs: ZIP_BUDGET_MS, timeoutMessage: 'Making this pack took too long, so it was stopped. Please try again later.' });
	if (!outcome.ok) throw new Error(outcome.error.message);
	return outcome.value;
}

export interface IssuePackOptions {
	origin: string;
	issuedBy: string;
	request?: RequestContext;
	render?: (content: PortfolioContent, options: RenderOptions) => Promise<RenderSummary>;
	zip?: (files: PackFile[], mtime: string) => Promise<Uint8Array>;
	now?: Date;
}

export interface IssuedPack {
	row: PortfolioDocument;
	bytes: Uint8Array;
	manifest: Manifest;
}

/**
 * Issues the learner's portfolio PDF (recorded as its own document), builds and zips the pack and
 * records it. Undefined when there is no such learner. The caller decides who may ask.
 */
export async function issueEvidencePack(db: Db, learnerId: string, options: IssuePackOptions): Promise<IssuedPack | undefined> {
	const now = options.now ?? new Date();
	const prepared = await prepareDocument(db, { learnerId, kind: 'portfolio' }, now);
	if (!prepared) return undefined;
	const chunks: Uint8Array[] = [];
	const pdfRow = await issueDocument(db, prepared, { origin: options.origin, issuedBy: options.issuedBy, request: options.request, render: options.render, onData: (c) => chunks.push(new Uint8Array(c)) });
	const pdfBytes = new Uint8Array(Buffer.concat(chunks));
	const nameOf = async (id: string) => (await dbGet(db.select({ name: user.displayName }).from(user).where(eq(user.id, id))))?.name ?? '';
	const issuedAt = now.toISOString();
	const { files, manifest } = packFiles({
		content: prepared.content,
		pdf: { bytes: pdfBytes, documentId: pdfRow.id, contentHash: pdfRow.contentHash, pageCount: pdfRow.pageCount },
		packId: newDocumentId(),
		issuedAt,
		issuedBy: { id: options.issuedBy, name: await nameOf(options.issuedBy) },
		learner: { id: learnerId, name: prepared.content.learner.name },
		centre: { id: prepared.organisationId, name: prepared.content.centre },
		workplaceFiles: await workplaceFileBytes(db, prepared.content.workplace)
	});
	const bytes = await (options.zip ?? zipOffThread)(files, issuedAt);
	const row: PortfolioDocument = {
		id: manifest.packId,
		organisationId: prepared.organisationId,
		learnerId,
		kind: 'evidence-pack',
		attemptId: null,
		contentHash: manifest.manifestHash,
		fileHash: sha256OfBytes(bytes),
		pageCount: pdfRow.pageCount,
		byteLength: bytes.byteLength,
		issuedAt,
		issuedBy: options.issuedBy,
		hashEncoding: CANONICAL_ENCODING
	};
	await writeTransaction(db, async () => {
		await dbRun(db.insert(portfolioDocument).values(row));
		await recordSecurityEvent(db, { type: 'export.evidence-pack', userId: learnerId, actorId: options.issuedBy, ...options.request, detail: { documentId: row.id, kind: row.kind } });
	});
	return { row, bytes, manifest };
}

/** The download's response: the whole ZIP (built in memory, bounded by the portfolio's size). */
export function packResponse(pack: IssuedPack): Response {
	return new Response(pack.bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': 'application/zip',
			'Content-Disposition': `attachment; filename="evidence-pack-${pack.row.id}.zip"`,
			'Content-Length': String(pack.bytes.byteLength),
			'Cache-Control': 'no-store',
			'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
			'X-Document-Id': pack.row.id
		}
	});
}
