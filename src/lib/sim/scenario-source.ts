/**
 * A draft's text as the editor and the importer see it: its problems, the declared id, the
 * dialogue as a summary and one page of nodes, the marking points. Pure (text in, data out) and
 * linear in the text's size; the parts that parse the whole text run in a worker thread
 * (server/workers/scenario-jobs.ts), never on the event loop.
 *
 * A draft is checked exactly as `npm run scenarios:check` checks a file (parseScenario, then
 * checkSeed), as if it were the file scenarios/<id>.yaml, so the errors read the same.
 */
import { isMap, LineCounter, parseDocument, isSeq } from 'yaml';
import { parseScenario, type LoadedScenario, type ScenarioError } from './scenario-check';
import { reachability } from './reachability';
import { prescanScenario } from './scenario-limits';
import { DEFAULT_PASS_MARK } from './scenario-schema';
import { checkSeed } from './seeding';

/** The file a draft is checked as: what `npm run scenarios:check` would name it. */
export const draftFile = (scenarioId: string) => `scenarios/${scenarioId}.yaml`;

/**
 * Every problem `npm run scenarios:check` reports for this text as the file `file`, or the parsed
 * scenario ready to start an attempt on.
 */
export async function checkSource(file: string, source: string): Promise<{ ok: true; loaded: LoadedScenario } | { ok: false; errors: ScenarioError[] }> {
	const parsed = parseScenario(file, source);
	if (!parsed.ok) return { ok: false, errors: parsed.errors };
	const loaded: LoadedScenario = { file, scenario: parsed.scenario, version: parsed.version, hash: parsed.hash };
	const seeded = await checkSeed(loaded);
	if (seeded.errors.length > 0) return { ok: false, errors: seeded.errors };
	return { ok: true, loaded };
}

/** The scenario id a file declares, read leniently (the rest of the file may be broken). */
export function declaredId(source: string): string | undefined {
	if (prescanScenario(source)) return undefined;
	try {
		const doc = parseDocument(source, { uniqueKeys: false });
		const id = isMap(doc.contents) ? doc.get('id') : undefined;
		return typeof id === 'string' ? id : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The draft's title as written, even when the draft does not parse as a whole: read from the
 * top-level `title:` line alone, so listing a library of large drafts parses none of them.
 */
export function titleOfSource(source: string): string | undefined {
	const line = /^title:[ \t]*(.*)$/m.exec(source)?.[1];
	if (line === undefined || line.length > 1_000) return undefined;
	try {
		const title = parseDocument(`title: ${line}`).get('title');
		return typeof title === 'string' && title.trim() !== '' ? title.trim() : undefined;
	} catch {
		return undefined;
	}
}

// ── The dialogue: summary and pages ──────────────────────────────────────────────────────────

export interface GraphChoice {
	id: string;
	label: string;
	goto: string;
	event?: string;
	/** Its quality tag and the marking point it is judged under, when tagged. */
	quality?: string;
	point?: string;
	/** The target is not a node of the dialogue. */
	broken: boolean;
}

export interface GraphNode {
	id: string;
	kind: 'turn' | 'branch' | 'end';
	speaker?: string;
	text?: string;
	line?: number;
	choices: GraphChoice[];
	/** Where a waitFor moves on to, and the branch cases' targets. */
	next: { label: string; goto: string; broken: boolean }[];
	start: boolean;
	reachable: boolean;
	/** No end node can be reached from here (a dialogue that can never finish). */
	deadEnd: boolean;
}

export interface GraphSummary {
	start: string;
	nodes: number;
	choices: number;
	/** Nodes the start cannot reach. */
	unreachable: number;
	/** Reachable nodes from which no end can be reached. */
	deadEnds: number;
	/** Choices and other links to a node that does not exist. */
	missingTargets: number;
	/** Nodes with any of those problems. */
	withProblems: number;
}

export type GraphFilter = 'all' | 'problems';

/** Which page of which nodes to show; `node` asks for the page (of all nodes) holding that node. */
export interface GraphQuery {
	filter: GraphFilter;
	page: number;
	node?: string;
}

export interface GraphPage {
	summary: GraphSummary;
	filter: GraphFilter;
	/** 1-based. */
	page: number;
	pages: number;
	/** Nodes that pass the filter. */
	matching: number;
	nodes: GraphNode[];
}

/** Nodes on one page: a page stays a few kilobytes however large the dialogue. */
export const GRAPH_PAGE_SIZE = 40;
/** A node's text is cut to this many characters in the list (the source has it whole). */
const TEXT_PREVIEW = 220;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function describeMatcher(m: unknown): string {
	if (typeof m === 'string') return m;
	if (Array.isArray(m)) return m.slice(0, 3).map(describeMatcher).join(' or ') + (m.length > 3 ? ' or …' : '');
	return str(rec(m).event) ?? 'an event';
}

export function hasProblem(n: GraphNode): boolean {
	return !n.reachable || n.deadEnd || n.choices.some((c) => c.broken) || n.next.some((x) => x.broken);
}

/** Reads the draft once: the whole dialogue graph (flagged) and the marking points, leniently. */
function readDraft(source: string): { graph?: { start: string; nodes: GraphNode[] }; points: MarkingPointView[]; passMark?: number | null } {
	if (prescanScenario(source)) return { points: [] };
	const lineCounter = new LineCounter();
	let data: unknown;
	const lines = new Map<number, number>();
	try {
		const doc = parseDocument(source, { lineCounter, uniqueKeys: false });
		if (doc.errors.length > 0) return { points: [] };
		data = doc.toJS({ maxAliasCount: 100 });
		const nodesNode = (doc.getIn(['dialogue', 'nodes'], true) as unknown) ?? null;
		if (isSeq(nodesNode)) {
			nodesNode.items.forEach((item, i) => {
				const offset = (item as { range?: [number, number, number] }).range?.[0];
				if (offset !== undefined) lines.set(i, lineCounter.linePos(offset).line);
			});
		}
	} catch {
		return { points: [] };
	}
	return { graph: graphOf(rec(rec(data).dialogue), lines), points: pointsOf(rec(data).marking, rec(data).dialogue), passMark: passMarkOf(rec(data).passMark) };
}

/** The whole dialogue of a draft, each node flagged (reachability, dead ends, broken links); undefined when it cannot be read. */
export function draftGraph(source: string): { start: string; nodes: GraphNode[] } | undefined {
	return readDraft(source).graph;
}

function graphOf(dialogue: Record<string, unknown>, lines: ReadonlyMap<number, number>): { start: string; nodes: GraphNode[] } | undefined {
	const raw = list(dialogue.nodes).map(rec);
	if (raw.length === 0) return undefined;
	const start = str(dialogue.start) ?? '';
	const ids = new Set(raw.map((n) => str(n.id)).filter((id): id is string => id !== undefined));
	const nodes: GraphNode[] = raw.map((n, i) => {
		const id = str(n.id) ?? `(node ${i + 1} has no id)`;
		const branch = rec(n.branch);
		const next: GraphNode['next'] = [];
		if (n.then !== undefined) next.push({ label: `after ${describeMatcher(n.waitFor)}`, goto: String(n.then), broken: !ids.has(String(n.then)) });
		list(branch.cases).forEach((c, j) => {
			const goto = String(rec(c).goto ?? '');
			next.push({ label: `case ${j + 1}`, goto, broken: !ids.has(goto) });
		});
		if (branch.otherwise !== undefined) next.push({ label: 'otherwise', goto: String(branch.otherwise), broken: !ids.has(String(branch.otherwise)) });
		const line = lines.get(i);
		const text = str(n.text)?.trim();
		return {
			id,
			kind: n.branch !== undefined ? 'branch' : n.end === true ? 'end' : 'turn',
			...(str(n.speaker) === undefined ? {} : { speaker: str(n.speaker) }),
			...(text === undefined ? {} : { text: text.length > TEXT_PREVIEW ? `${text.slice(0, TEXT_PREVIEW)}…` : text }),
			...(line === undefined ? {} : { line }),
			choices: list(n.choices).map((c, j) => {
				const choice = rec(c);
				const goto = String(choice.goto ?? '');
				return {
					id: str(choice.id) ?? `(choice ${j + 1})`,
					label: str(choice.label) ?? '',
					goto,
					...(str(choice.event) === undefined ? {} : { event: str(choice.event) }),
					...(str(choice.quality) === undefined ? {} : { quality: str(choice.quality) }),
					...(str(choice.point) === undefined ? {} : { point: str(choice.point) }),
					broken: !ids.has(goto)
				};
			}),
			next,
			start: id === start,
			reachable: false,
			deadEnd: false
		};
	});
	const byId = new Map<string, GraphNode>();
	for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
	const { reached, finishing } = reachability(
		start,
		byId.keys(),
		(id) => {
			const n = byId.get(id)!;
			return [...n.choices.map((c) => c.goto), ...n.next.map((x) => x.goto)];
		},
		(id) => byId.get(id)!.kind === 'end'
	);
	for (const n of nodes) {
		n.reachable = reached.has(n.id);
		n.deadEnd = !finishing.has(n.id);
	}
	return { start, nodes };
}

function summaryOf(graph: { start: string; nodes: GraphNode[] }): GraphSummary {
	let choices = 0;
	let unreachable = 0;
	let deadEnds = 0;
	let missingTargets = 0;
	let withProblems = 0;
	for (const n of graph.nodes) {
		choices += n.choices.length;
		if (!n.reachable) unreachable++;
		else if (n.deadEnd) deadEnds++;
		missingTargets += n.choices.filter((c) => c.broken).length + n.next.filter((x) => x.broken).length;
		if (hasProblem(n)) withProblems++;
	}
	return { start: graph.start, nodes: graph.nodes.length, choices, unreachable, deadEnds, missingTargets, withProblems };
}

function pageOf(graph: { start: string; nodes: GraphNode[] }, query: GraphQuery): GraphPage {
	const filter: GraphFilter = query.node !== undefined ? 'all' : query.filter;
	const matching = filter === 'problems' ? graph.nodes.filter(hasProblem) : graph.nodes;
	const pages = Math.max(1, Math.ceil(matching.length / GRAPH_PAGE_SIZE));
	const wanted = query.node !== undefined ? matching.findIndex((n) => n.id === query.node) : -1;
	const page = wanted >= 0 ? Math.floor(wanted / GRAPH_PAGE_SIZE) + 1 : Math.min(Math.max(1, Math.trunc(query.page) || 1), pages);
	return {
		summary: summaryOf(graph),
		filter,
		page,
		pages,
		matching: matching.length,
		nodes: matching.slice((page - 1) * GRAPH_PAGE_SIZE, page * GRAPH_PAGE_SIZE)
	};
}

// ── Marking points ───────────────────────────────────────────────────────────────────────────

export interface MarkingPointView {
	id: string;
	description: string;
	criteria: string[];
	critical: boolean;
	/** As written in the file (absent on a critical point written before every point weighed). */
	weight?: number;
	/** The weight the marking uses, and its share of the score in per cent (one decimal). */
	effectiveWeight: number;
	share: number;
	/** Whether the feedback names the rule a miss breaks (`feedback.rule`). */
	ruleNamed: boolean;
	/** The dialogue choices tagged with a quality under this point. */
	taggedChoices: number;
}

function pointsOf(marking: unknown, dialogue: unknown): MarkingPointView[] {
	const raw = list(marking).map(rec);
	const heaviest = Math.max(1, ...raw.map((p) => (typeof p.weight === 'number' ? p.weight : 0)));
	const weights = raw.map((p) => (typeof p.weight === 'number' && p.weight > 0 ? p.weight : p.critical === true ? heaviest : 0));
	const total = weights.reduce((a, b) => a + b, 0);
	const tagged = new Map<string, number>();
	for (const node of list(rec(dialogue).nodes)) {
		for (const choice of list(rec(node).choices)) {
			const point = str(rec(choice).point);
			if (point !== undefined && rec(choice).quality !== undefined) tagged.set(point, (tagged.get(point) ?? 0) + 1);
		}
	}
	return raw.map((point, i) => {
		const id = str(point.id) ?? `(point ${i + 1})`;
		return {
			id,
			description: str(point.description)?.trim() ?? '',
			criteria: list(point.criteria).filter((c): c is string => typeof c === 'string'),
			critical: point.critical === true,
			...(typeof point.weight === 'number' ? { weight: point.weight } : {}),
			effectiveWeight: weights[i]!,
			share: total === 0 ? 0 : Math.round((weights[i]! / total) * 1000) / 10,
			ruleNamed: typeof rec(point.feedback).rule === 'string',
			taggedChoices: tagged.get(id) ?? 0
		};
	});
}

/** The pass mark the file gives, or the default; null when it is not a whole number from 1 to 100. */
function passMarkOf(value: unknown): number | null {
	if (value === undefined) return DEFAULT_PASS_MARK;
	return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 100 ? value : null;
}

// ── What the editor shows ────────────────────────────────────────────────────────────────────

export interface DraftInspection {
	/** The checker's problems (the first 200, and a line saying how many more). */
	errors: ScenarioError[];
	/** The dialogue's summary and one page of its nodes; null when the YAML cannot be read. */
	graph: GraphPage | null;
	points: MarkingPointView[];
	/** The draft's pass mark (the default when it gives none); null when it cannot be read. */
	passMark: number | null;
}

/** Everything the editor shows of a draft of `scenarioId`: problems, one page of the dialogue, marking points. */
export async function inspectDraft(scenarioId: string, source: string, query: GraphQuery): Promise<DraftInspection> {
	const checked = await checkSource(draftFile(scenarioId), source);
	const { graph, points, passMark } = readDraft(source);
	return { errors: checked.ok ? [] : checked.errors, graph: graph ? pageOf(graph, query) : null, points, passMark: passMark ?? null };
}
