/**
 * Draws a portfolio document (content.ts) as a PDF with pdfkit. The layout only: what the document
 * says is decided by the content object, so nothing here reads the database.
 *
 * - Fonts: DejaVu Sans shipped in fonts/ (Bitstream Vera licence, fonts/LICENSE-DejaVu.txt); pdfkit
 *   embeds the subset used, so £, accents and Polish letters render on any reader.
 * - Tables split across pages with their header row repeated; a row is never cut in half.
 * - bufferPages: every page is kept until the end so that each footer can say "Page n of N".
 * - Tagged PDF (PDF 1.7, lang en-GB, the title displayed): headings, paragraphs and tables are
 *   structure elements; the footer is marked as a pagination artifact.
 * - Rendering yields to the event loop between sections (`pause`), so a 20-attempt portfolio never
 *   holds other requests for long (the stall is measured in tests/bench/portfolio.bench.test.ts).
 */
import PDFDocument from 'pdfkit';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PortfolioAttempt, PortfolioContent, PortfolioDecision, PortfolioPoint } from './content';
import { fileSize, isShownImage } from '../../evidence-files';

/** Where the shipped fonts are: `fonts/` of the project (the server and the tests run from its root). */
export function fontsDir(): string {
	return resolve(process.env.FONTS_DIR ?? 'fonts');
}

export function fontFiles(): { regular: string; bold: string } {
	const dir = fontsDir();
	const files = { regular: resolve(dir, 'DejaVuSans.ttf'), bold: resolve(dir, 'DejaVuSans-Bold.ttf') };
	for (const file of Object.values(files)) {
		// A missing font is a broken deployment, not bad input.
		if (!existsSync(file)) throw new Error(`Portfolio font missing: ${file} (set FONTS_DIR or run from the project root)`);
	}
	return files;
}

export interface RenderOptions {
	/** The site's address, printed in the verification text: "Check this document at <origin>/verify". */
	origin: string;
	contentHash: string;
	/** Called with each chunk of the PDF as pdfkit produces it. */
	onData: (chunk: Buffer) => void;
	/** Called between sections; the default yields to the event loop. */
	pause?: () => Promise<void>;
	/**
	 * The JPEG and PNG files of the workplace evidence, by SHA-256, already checked against it
	 * (workplace/portfolio.ts workplaceImages). A listed image without bytes here is named, not drawn.
	 */
	images?: Readonly<Record<string, Uint8Array>>;
}

export interface RenderSummary {
	pageCount: number;
}

const UK = 'Europe/London';
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: UK, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: UK, day: 'numeric', month: 'long', year: 'numeric' });
const clockFormat = new Intl.DateTimeFormat('en-GB', { timeZone: UK, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function formatDateTime(iso: string): string {
	return dateTimeFormat.format(new Date(iso));
}
/** A day: ISO instants and plain YYYY-MM-DD dates alike. */
function formatDate(iso: string): string {
	const plain = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso;
	return dateFormat.format(new Date(plain));
}

const INK = '#1a1a1a';
const SOFT = '#4a4a4a';
const RULE = '#9a9a9a';
const HEAD_FILL = '#e8ecef';
const BRAND = '#0b4f6c';
const SIZE = { body: 10, small: 8.5, footer: 7.5, h1: 20, h2: 15, h3: 12 } as const;
const MARGIN = { top: 50, bottom: 78, left: 50, right: 50 } as const;

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

interface Column {
	header: string;
	width: number;
}
/** An empty cell prints "—", unless it is `blank`: nothing to say there (narration has no speaker). */
type Cell = string | { text: string; bold?: boolean; blank?: boolean };

const OUTCOME_WORDS: Record<PortfolioPoint['outcome'], string> = { met: 'Met', 'part-met': 'Met in part', missed: 'Not met', 'not-reached': 'Not reached' };

/** "Critical error", "Met in part, 2 of 4 marks": the outcome in words, with the marks when the rule gave any. */
function pointResult(p: PortfolioPoint): string {
	const outcome = p.critical && p.outcome === 'missed' ? 'Critical error' : `${OUTCOME_WORDS[p.outcome]}${p.critical ? ', critical' : ''}`;
	return p.earned === null ? outcome : `${outcome}, ${p.earned} of ${p.weight} ${p.weight === 1 ? 'mark' : 'marks'}`;
}

/** A point's feedback; for a miss, the rule broken first, by name, and what to do instead after it. */
function pointFeedback(p: PortfolioPoint): string {
	if (p.outcome === 'not-reached') return 'Not reached: the conversation ended before this could be shown.';
	if (p.outcome !== 'missed') return p.feedback;
	return [p.rule ? `The rule: ${p.rule}.` : '', p.feedback, p.instead ? `What to do instead: ${p.instead}` : ''].filter(Boolean).join('\n');
}

const defaultPause = () => new Promise<void>((done) => setImmediate(done));

/** Renders the document; resolves once the last byte has been handed to `onData`. */
export async function renderPortfolio(content: PortfolioContent, options: RenderOptions): Promise<RenderSummary> {
	const pause = options.pause ?? defaultPause;
	const fonts = fontFiles();
	const title = content.kind === 'portfolio' ? `Portfolio of evidence: ${content.learner.name}` : `Attempt evidence: ${content.learner.name}, ${content.attempts[0]?.title ?? ''}`;
	const doc: Doc = new PDFDocument({
		size: 'A4',
		margins: { ...MARGIN },
		bufferPages: true,
		pdfVersion: '1.7',
		tagged: true,
		lang: 'en-GB',
		displayTitle: true,
		info: {
			Title: title,
			Author: content.centre,
			Subject: `${content.unit}: document ${content.documentId}`,
			// Read back by the verify page from an uploaded file (uncompressed in the trailer's Info).
			Keywords: `custodian-document-id:${content.documentId} content-sha256:${options.contentHash}`,
			Creator: 'Custodian'
		}
	});
	doc.registerFont('body', fonts.regular);
	doc.registerFont('bold', fonts.bold);
	const finished = new Promise<void>((done, fail) => {
		doc.on('data', options.onData);
		doc.on('end', done);
		doc.on('error', fail);
	});

	const root = doc.struct('Document');
	doc.addStructure(root);
	const width = doc.page.width - MARGIN.left - MARGIN.right;
	const bottom = () => doc.page.height - MARGIN.bottom;

	/** A structure element drawn by `draw`, added under `parent`. */
	const tag = (type: Parameters<Doc['struct']>[0], draw: () => void, parent: Struct = root) => {
		parent.add(doc.struct(type, {}, draw));
	};
	/** A new page that keeps open marked content open (a plain addPage would cut the structure). */
	const newPage = () => {
		doc.continueOnNewPage();
	};
	const ensure = (height: number) => {
		if (doc.y + height > bottom()) newPage();
	};
	const heading = (level: 1 | 2 | 3, text: string) => {
		const size = level === 1 ? SIZE.h1 : level === 2 ? SIZE.h2 : SIZE.h3;
		doc.font('bold').fontSize(size);
		// Keep a heading with at least a few lines of what follows.
		ensure(doc.heightOfString(text, { width }) + 40);
		if (doc.y > MARGIN.top) doc.moveDown(level === 3 ? 0.4 : 0.7);
		tag(`H${level}`, () => {
			doc.fillColor(level === 3 ? INK : BRAND).text(text, MARGIN.left, doc.y, { width });
		});
		doc.moveDown(0.3).fillColor(INK).font('body').fontSize(SIZE.body);
	};
	const paragraph = (text: string, opts: { size?: number; bold?: boolean; color?: string } = {}) => {
		doc.font(opts.bold ? 'bold' : 'body').fontSize(opts.size ?? SIZE.body).fillColor(opts.color ?? INK);
		const body = text.trim() === '' ? '—' : text;
		tag('P', () => {
			doc.text(body, MARGIN.left, doc.y, { width, paragraphGap: 3 });
		});
		doc.font('body').fontSize(SIZE.body).fillColor(INK);
	};
	/** "Label: value" as one paragraph, the label in bold. */
	const labelled = (label: string, value: string) => {
		doc.fontSize(SIZE.body).fillColor(INK);
		ensure(doc.currentLineHeight(true) * 2);
		tag('P', () => {
			doc.font('bold').text(`${label}: `, MARGIN.left, doc.y, { width, continued: true }).font('body').text(value.trim() === '' ? '—' : value, { paragraphGap: 3 });
		});
	};

	const PAD = 3;
	const cellText = (cell: Cell) => (typeof cell === 'string' ? cell : cell.text) || (typeof cell !== 'string' && cell.blank ? '' : '—');
	const cellHeight = (cells: Cell[], columns: Column[], bold = false) => {
		doc.fontSize(SIZE.small);
		let tallest = 0;
		cells.forEach((cell, i) => {
			doc.font(bold || (typeof cell !== 'string' && cell.bold) ? 'bold' : 'body');
			tallest = Math.max(tallest, doc.heightOfString(cellText(cell), { width: columns[i]!.width - 2 * PAD }));
		});
		return tallest + 2 * PAD;
	};
	const drawRow = (parent: Struct, cells: Cell[], columns: Column[], header: boolean) => {
		const height = cellHeight(cells, columns, header);
		const top = doc.y;
		if (header) doc.save().rect(MARGIN.left, top, width, height).fill(HEAD_FILL).restore();
		// The row was measured to fit: a rounding difference must not start a page in the middle of it.
		doc.page.margins.bottom = 0;
		const row = doc.struct('TR');
		parent.add(row);
		let x = MARGIN.left;
		cells.forEach((cell, i) => {
			const column = columns[i]!;
			const left = x;
			row.add(
				doc.struct(header ? 'TH' : 'TD', {}, () => {
					doc.font(header || (typeof cell !== 'string' && cell.bold) ? 'bold' : 'body').fontSize(SIZE.small).fillColor(INK);
					doc.text(cellText(cell), left + PAD, top + PAD, { width: column.width - 2 * PAD });
				})
			);
			x += column.width;
		});
		row.end();
		doc.page.margins.bottom = MARGIN.bottom;
		doc.save().lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN.left, top + height).lineTo(MARGIN.left + width, top + height).stroke().restore();
		doc.x = MARGIN.left;
		doc.y = top + height;
	};
	/**
	 * A table whose rows never split: a row that does not fit starts a new page, which repeats the
	 * header. A row taller than a whole page (a very long statement) is cut into pieces that do fit.
	 */
	const table = async (columns: Column[], rows: Cell[][]) => {
		const scale = width / columns.reduce((sum, c) => sum + c.width, 0);
		const cols = columns.map((c) => ({ ...c, width: c.width * scale }));
		const headerCells = cols.map((c) => c.header);
		const headerHeight = cellHeight(headerCells, cols, true);
		const structure = doc.struct('Table');
		root.add(structure);
		// Never a header alone at the foot of a page: it goes with the first row.
		ensure(headerHeight + (rows[0] ? Math.min(cellHeight(rows[0], cols), 120) : 0));
		drawRow(structure, headerCells, cols, true);
		const pageRoom = bottom() - MARGIN.top - headerHeight;
		for (const [n, row] of rows.entries()) {
			if (n > 0 && n % 25 === 0) await pause();
			for (const piece of fitRows(row, cols, pageRoom)) {
				if (doc.y + cellHeight(piece, cols) > bottom()) {
					newPage();
					drawRow(structure, headerCells, cols, true);
				}
				drawRow(structure, piece, cols, false);
			}
		}
		structure.end();
		doc.moveDown(0.6);
	};
	/** A row, or the pieces of a row too tall for a page: each long cell cut at words into parts that fit. */
	const fitRows = (row: Cell[], cols: Column[], room: number): Cell[][] => {
		if (cellHeight(row, cols) <= room) return [row];
		const parts = row.map((cell, i) => splitToHeight(cellText(cell), cols[i]!.width - 2 * PAD, room - 2 * PAD - 4));
		const count = Math.max(...parts.map((p) => p.length));
		return Array.from({ length: count }, (_, n) => row.map((cell, i) => {
			const text = parts[i]![n] ?? '';
			return typeof cell === 'string' ? text : { ...cell, text };
		}));
	};
	const splitToHeight = (text: string, cellWidth: number, room: number): string[] => {
		doc.font('body').fontSize(SIZE.small);
		const words = text.split(/(\s+)/);
		const parts: string[] = [];
		let current = '';
		for (const word of words) {
			const next = current + word;
			if (current !== '' && doc.heightOfString(next, { width: cellWidth }) > room) {
				parts.push(current);
				current = word.trimStart();
			} else {
				current = next;
			}
		}
		if (current !== '' || parts.length === 0) parts.push(current);
		return parts;
	};

	/**
	 * An image scaled to the text width and at most a third of a page high, on a new page if it does
	 * not fit, tagged as a figure with its alternative text. False when pdfkit cannot read it.
	 */
	const drawImage = (bytes: Uint8Array, alt: string): boolean => {
		type Opened = { width: number; height: number; orientation?: number };
		let image: Opened;
		try {
			image = (doc as unknown as { openImage: (src: Buffer) => Opened }).openImage(Buffer.from(bytes));
		} catch {
			return false;
		}
		// pdfkit turns an image by its EXIF orientation: 5 to 8 are a quarter turn, width and height swapped.
		const turned = (image.orientation ?? 1) > 4;
		const [w, h] = turned ? [image.height, image.width] : [image.width, image.height];
		const maxHeight = (bottom() - MARGIN.top) / 3;
		const scale = Math.min(1, width / w, maxHeight / h);
		ensure(h * scale + 20);
		const top = doc.y;
		root.add(
			doc.struct('Figure', { alt }, () => {
				doc.image(image as unknown as Buffer, MARGIN.left, top, { fit: [w * scale, h * scale] });
			})
		);
		doc.x = MARGIN.left;
		doc.y = top + h * scale + 4;
		return true;
	};

	// ── Cover ──────────────────────────────────────────────────────────────────────────────
	doc.y = MARGIN.top + 60;
	paragraph(content.centre, { size: SIZE.h3, color: SOFT });
	heading(1, content.kind === 'portfolio' ? 'Portfolio of evidence' : 'Attempt evidence');
	paragraph(`Unit: ${content.unit}`, { size: SIZE.h3, bold: true });
	doc.moveDown(0.8);
	labelled('Learner', content.learner.name);
	labelled('Centre', content.centre);
	labelled(
		'Evidence dated',
		content.evidenceFrom && content.evidenceTo ? `${formatDate(content.evidenceFrom)} to ${formatDate(content.evidenceTo)}` : 'No evidence yet'
	);
	labelled('Issued', formatDateTime(content.issuedAt));
	labelled('Document id', content.documentId);
	labelled('Content SHA-256', options.contentHash);
	if (content.kind === 'portfolio') {
		labelled('Contents', `${content.attempts.length} simulator attempt${content.attempts.length === 1 ? '' : 's'}, ${content.testimony.length} witness testimon${content.testimony.length === 1 ? 'y' : 'ies'}, ${content.observations.length} observation record${content.observations.length === 1 ? '' : 's'}, ${content.workplace.length} item${content.workplace.length === 1 ? '' : 's'} of workplace evidence`);
	}
	doc.moveDown(1);
	paragraph(
		`This document was issued by ${content.centre} through Custodian. To check that it was issued by the centre and has not been changed, open ${options.origin}/verify and upload this file, or enter the document id and content SHA-256 shown on every page.`,
		{ color: SOFT }
	);

	// ── Coverage grid ──────────────────────────────────────────────────────────────────────
	newPage();
	heading(2, content.kind === 'portfolio' ? 'Criteria coverage' : 'Criteria this attempt evidences');
	await pause();
	if (content.coverage.length === 0) paragraph('This attempt evidenced no criterion.');
	else
		await table(
			[
				{ header: 'Criterion', width: 150 },
				{ header: 'State', width: 70 },
				{ header: 'Evidence', width: 175 },
				{ header: 'Signed off by', width: 100 }
			],
			content.coverage.map((row) => [
				{ text: `${row.code} ${row.title}`, bold: false },
				row.stateLabel,
				row.evidence.length === 0 ? 'None yet' : row.evidence.map((e) => `${e.title} (${e.stateLabel.toLowerCase()})`).join('\n'),
				row.signedBy ? `${row.signedBy.name}, ${formatDateTime(row.signedBy.at)}` : '—'
			])
		);
	await pause();

	// ── Attempts ───────────────────────────────────────────────────────────────────────────
	for (const [index, attempt] of content.attempts.entries()) {
		newPage();
		await drawAttempt(attempt, content.kind === 'portfolio' ? `Attempt ${index + 1}: ${attempt.title}` : attempt.title);
		await pause();
	}

	async function drawAttempt(attempt: PortfolioAttempt, title: string) {
		heading(2, title);
		labelled('Scenario', `${attempt.scenarioId}, version ${attempt.version}`);
		labelled('Played', `${formatDateTime(attempt.startedAt)} to ${attempt.endedAt ? formatDateTime(attempt.endedAt) : '—'}`);
		labelled('Automatic marking', attempt.verdict.headline);
		labelled('The two checks', attempt.verdict.checks.join('   ·   '));
		labelled('Why', attempt.verdict.reason);
		heading(3, 'Brief');
		// The brief is written in Markdown for the screen: its emphasis marks are not printed.
		paragraph(attempt.brief.replace(/\*\*(.+?)\*\*/gs, '$1').replace(/(^|\W)[*_](\S.*?\S|\S)[*_](?=\W|$)/gm, '$1$2'));
		heading(3, 'Transcript');
		paragraph('Times are on the scenario clock, UK time.', { size: SIZE.small, color: SOFT });
		if (attempt.transcript.length === 0) paragraph('Nothing was said or done.');
		else
			await table(
				[
					{ header: 'Time', width: 70 },
					{ header: 'Who', width: 90 },
					{ header: 'What happened', width: 335 }
				],
				attempt.transcript.map((line) => [clockFormat.format(new Date(line.at)), { text: line.who, blank: true }, line.text])
			);
		await pause();
		heading(3, 'Marking points');
		paragraph('Critical errors first: each fails the attempt on its own, whatever the score.', { size: SIZE.small, color: SOFT });
		const criticalError = (p: PortfolioPoint) => p.critical && p.outcome === 'missed';
		await table(
			[
				{ header: 'Marking point', width: 135 },
				{ header: 'Result', width: 55 },
				{ header: 'Evidence', width: 135 },
				{ header: 'Feedback', width: 170 }
			],
			[...attempt.points.filter(criticalError), ...attempt.points.filter((p) => !criticalError(p))].map((p) => [
				`${p.description}${p.criteria.length ? ` (${p.criteria.join(', ')})` : ''}`,
				{ text: pointResult(p), bold: criticalError(p) },
				p.evidence.length === 0
					? p.met
						? 'Nothing to point to: met because something did not happen.'
						: 'Nothing in the attempt shows this.'
					: p.evidence.map((e) => `${clockFormat.format(new Date(e.at))} ${e.who === '' ? e.text : `${e.who}: ${e.text}`}`).join('\n'),
				pointFeedback(p)
			])
		);
		heading(3, 'Reflection');
		if (!attempt.reflection) paragraph('No reflection submitted.');
		else {
			labelled('Situation', attempt.reflection.situation);
			labelled('Task', attempt.reflection.task);
			labelled('Action', attempt.reflection.action);
			labelled('Result', attempt.reflection.result);
			if (attempt.reflection.submittedAt) paragraph(`Submitted ${formatDateTime(attempt.reflection.submittedAt)}.`, { size: SIZE.small, color: SOFT });
		}
		heading(3, "Assessor's decisions");
		if (attempt.decisions.length === 0) paragraph('No decision signed yet.');
		for (const decision of attempt.decisions) drawDecision(decision);
	}

	function drawDecision(d: PortfolioDecision) {
		ensure(80);
		paragraph(`Decision ${d.sequence}: ${d.outcomeLabel}${d.superseded ? ' (superseded by a later decision)' : ' (in force)'}`, { bold: true });
		labelled('Feedback', d.feedback);
		if (d.nextSteps.trim() !== '') labelled('Next steps', d.nextSteps);
		// Judgements that agree with the automatic marking and carry no feedback are summed up in one line.
		const changed = [
			...d.points.filter((p) => p.met !== p.proposed || p.feedback !== '').map((p) => `${p.description}: ${p.met ? 'met' : 'not met'}${p.met !== p.proposed ? ' (assessor changed the automatic marking)' : ''}${p.feedback ? `. ${p.feedback}` : ''}`),
			...d.criteria.filter((c) => c.met !== c.proposed || c.feedback !== '').map((c) => `${c.code} ${c.title}: ${c.met ? 'met' : 'not met'}${c.met !== c.proposed ? ' (assessor changed the automatic marking)' : ''}${c.feedback ? `. ${c.feedback}` : ''}`)
		];
		const met = d.criteria.filter((c) => c.met).map((c) => c.code);
		const notMet = d.criteria.filter((c) => !c.met).map((c) => c.code);
		labelled('Criteria met', met.join(', ') || 'None');
		if (notMet.length > 0) labelled('Criteria not met', notMet.join(', '));
		if (changed.length > 0) labelled('Assessor’s judgements', changed.join('\n'));
		labelled('Signed', `${d.signedName}, ${formatDateTime(d.signedAt)}`);
		labelled('Signature SHA-256', d.signatureHash);
		labelled('Evidence SHA-256', d.evidenceHash);
		if (d.countersignature !== undefined) {
			const c = d.countersignature;
			if (c === null) labelled('Countersignature', 'Awaiting countersignature by a qualified assessor: signed by a trainee assessor, this decision does not count yet.');
			else {
				labelled(c.outcome === 'countersigned' ? 'Countersigned' : 'Sent back', `${c.signedName}, ${formatDateTime(c.signedAt)}${c.comment ? `. ${c.comment}` : ''}`);
				labelled('Countersignature SHA-256', c.signatureHash);
			}
		}
		for (const q of d.iqa ?? []) {
			labelled(`IQA sample (${q.stage}), round ${q.round}`, q.agreed ? 'Agreed on every criterion' : 'Actions set for the assessor');
			labelled('IQA signed', `${q.signedName}, ${formatDateTime(q.signedAt)}`);
			labelled('IQA signature SHA-256', q.signatureHash);
		}
		doc.moveDown(0.5);
	}

	// ── Other evidence ─────────────────────────────────────────────────────────────────────
	if (content.kind === 'portfolio') {
		newPage();
		heading(2, 'Witness testimony');
		if (content.testimony.length === 0) paragraph('No witness testimony recorded.');
		for (const t of content.testimony) {
			heading(3, `${t.witnessName}, ${t.witnessRole}`);
			labelled('Relationship to the learner', t.relationship);
			labelled('Date witnessed', formatDate(t.witnessedOn));
			labelled('Statement', t.statement);
			labelled('Signed by the witness', t.witnessSigned ? `${t.witnessSigned.name}, ${formatDate(t.witnessSigned.on)}` : 'Not signed');
			labelled('Not a relative of the learner', t.notRelative ? 'Confirmed' : 'Not confirmed');
			labelled('Criteria the learner declared', t.declaredCriteria.join(', ') || 'None');
			labelled(
				'Criteria accepted by the assessor',
				t.criteria === null ? 'Not yet mapped' : `${t.criteria.join(', ') || 'None'}${t.mappedBy && t.mappedAt ? ` (mapped by ${t.mappedBy}, ${formatDateTime(t.mappedAt)})` : ''}`
			);
		}
		heading(2, 'Observation records');
		if (content.observations.length === 0) paragraph('No observation recorded.');
		for (const o of content.observations) {
			heading(3, `${formatDate(o.observedOn)}: ${o.setting}`);
			labelled('Observed by', `${o.assessorName} (recorded ${formatDateTime(o.recordedAt)})`);
			labelled('What was observed', o.description);
			labelled('Criteria', o.criteria.join(', ') || 'None');
		}

		// ── Workplace evidence (issue 17) ─────────────────────────────────────────────────────
		newPage();
		heading(2, 'Workplace evidence');
		if (content.workplace.length === 0) paragraph('No workplace evidence submitted.');
		for (const w of content.workplace) {
			await pause();
			heading(3, w.title);
			if (w.submittedAt) labelled('Submitted', formatDateTime(w.submittedAt));
			labelled('Situation', w.situation);
			labelled('Task', w.task);
			labelled('Action', w.action);
			labelled('Result', w.result);
			labelled('Authenticity declaration', w.declaredAt ? `“${w.declaration}” (declared ${formatDateTime(w.declaredAt)})` : 'Not declared');
			labelled('Criteria claimed', w.criteriaClaimed.join(', ') || 'None');
			// One file to a pair of lines, so that a SHA-256 is never broken across lines of a narrow column.
			if (w.files.length === 0) labelled('Files', 'None');
			for (const f of w.files) {
				ensure(doc.currentLineHeight(true) * 4);
				labelled('File', `${f.name} (${f.mediaType ?? 'type unknown'}, ${fileSize(f.byteLength)})`);
				labelled('SHA-256', f.sha256 ?? 'not recorded');
			}
			for (const f of w.files.filter((file) => isShownImage(file.mediaType))) {
				const bytes = f.sha256 ? options.images?.[f.sha256] : undefined;
				if (!bytes) {
					paragraph(`${f.name}: the image is not shown here (not available, too large, or no longer matching its SHA-256).`, { size: SIZE.small, color: SOFT });
					continue;
				}
				const drawn = drawImage(bytes, `Image from the workplace evidence: ${f.name}`);
				if (drawn) paragraph(`${f.name} (SHA-256 ${f.sha256})`, { size: SIZE.small, color: SOFT });
				else paragraph(`${f.name}: the image could not be drawn.`, { size: SIZE.small, color: SOFT });
			}
			if (w.decisions.length === 0) paragraph('Not yet judged by an assessor.');
			for (const d of w.decisions) {
				ensure(60);
				paragraph(`Decision ${d.sequence}: ${d.outcomeLabel}${d.superseded ? ' (superseded by a later decision)' : ''}`, { bold: true });
				labelled('Feedback', d.feedback);
				if (d.nextSteps) labelled('Next steps', d.nextSteps);
				labelled('Criteria judged', d.criteria.map((c) => `${c.code} ${c.met ? 'met' : 'not yet met'}${c.feedback ? ` (${c.feedback})` : ''}`).join('; ') || 'None');
				labelled('Signed', `${d.signedName}, ${formatDateTime(d.signedAt)}`);
				labelled('Evidence SHA-256', d.evidenceHash);
				labelled('Signature SHA-256', d.signatureHash);
				if (d.countersignature !== undefined) {
					const c = d.countersignature;
					if (c === null) labelled('Countersignature', 'Awaiting countersignature by a qualified assessor: signed by a trainee assessor, this decision does not count yet.');
					else {
						labelled(c.outcome === 'countersigned' ? 'Countersigned' : 'Sent back', `${c.signedName}, ${formatDateTime(c.signedAt)}${c.comment ? `. ${c.comment}` : ''}`);
						labelled('Countersignature SHA-256', c.signatureHash);
					}
				}
				for (const q of d.iqa ?? []) {
					labelled(`IQA sample (${q.stage}), round ${q.round}`, q.agreed ? 'Agreed on every criterion' : 'Actions set for the assessor');
					labelled('IQA signed', `${q.signedName}, ${formatDateTime(q.signedAt)}`);
					labelled('IQA signature SHA-256', q.signatureHash);
				}
			}
		}
	}
	root.end();
	await pause();

	// ── Footers: "Page n of N" needs every page, so they are written last ─────────────────────
	const range = doc.bufferedPageRange();
	const footer = `Check this document at ${options.origin}/verify — document id ${content.documentId}, content SHA-256 ${options.contentHash}`;
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i);
		// Writing below the bottom margin would start a new page: lift the margin while the footer is drawn.
		doc.page.margins.bottom = 0;
		doc.markContent('Artifact', { type: 'Pagination' });
		const top = doc.page.height - MARGIN.bottom + 18;
		doc.save().lineWidth(0.5).strokeColor(RULE).moveTo(MARGIN.left, top - 6).lineTo(MARGIN.left + width, top - 6).stroke().restore();
		doc.font('bold').fontSize(SIZE.footer).fillColor(SOFT).text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN.left, top, { width, lineBreak: false });
		doc.font('body').text(content.documentId, MARGIN.left, top, { width, align: 'right', lineBreak: false });
		doc.text(footer, MARGIN.left, top + 11, { width });
		doc.endMarkedContent();
		doc.page.margins.bottom = MARGIN.bottom;
	}
	// pdfkit's end() would compress and write every buffered page in one go: a few at a time, with
	// the event loop let in between, keeps a large portfolio from holding other requests.
	const buffered = doc as unknown as { _pageBuffer: unknown[] };
	while (buffered._pageBuffer.length > 0) {
		const rest = buffered._pageBuffer.slice(8);
		buffered._pageBuffer = buffered._pageBuffer.slice(0, 8);
		doc.flushPages();
		buffered._pageBuffer = rest;
		await pause();
	}
	doc.end();
	await finished;
	return { pageCount: range.count };
}
