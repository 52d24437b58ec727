/**
 * What the dialogue page shows of a draft: the graph laid out for drawing (the whole dialogue, or
 * around the selected node when it is large), a searchable list of its nodes, and the selected
 * node as its editor shows it (with its problems in words). Pure; run in a worker
 * (server/workers/scenario-jobs.ts) like every read of a tutor's YAML.
 */
import { parseDocument, stringify } from 'yaml';
import type { ScenarioError } from './scenario-check';
import { layoutDialogue, neighbourhood, NODE_HEIGHT, NODE_WIDTH, type LayoutInputNode } from './dialogue-layout';
import { checkSource, draftFile, draftGraph, type GraphNode } from './scenario-source';
import { prescanScenario } from './scenario-limits';

/** Above this many nodes the graph shows the selected node's neighbourhood, and the list finds the rest. */
export const WHOLE_GRAPH_NODES = 60;
/** Above this many nodes a choice's target is typed (with suggestions) rather than picked from a select. */
export const SELECT_NODES = 300;
export const LIST_PAGE_SIZE = 40;
const WORDS = 8;

export interface DialogueQuery {
	node?: string;
	search?: string;
	page?: number;
}

export interface DrawnNode {
	id: string;
	x: number;
	y: number;
	/** The speaker's name, or "Narration". */
	speaker: string;
	words: string;
	start: boolean;
	end: boolean;
	problems: number;
	selected: boolean;
	/** The accessible name of the node's link. */
	name: string;
}

export interface DrawnEdge {
	from: string;
	to: string;
	label: string;
	kind: 'forward' | 'back' | 'across';
	/** SVG path, and where its label sits. */
	d: string;
	labelX: number;
	labelY: number;
}

export interface Drawing {
	nodes: DrawnNode[];
	edges: DrawnEdge[];
	width: number;
	height: number;
	otherTop?: number;
	/** Only the selected node's neighbourhood is drawn (a large dialogue). */
	partial: boolean;
	nodeWidth: number;
	nodeHeight: number;
}

export interface ListedNode {
	id: string;
	speaker: string;
	words: string;
	problems: number;
	start: boolean;
	end: boolean;
}

/** A part of a node or choice the forms do not edit: its key, what it is in words, and its YAML (cut short). */
export interface KeptPart {
	key: string;
	name: string;
	yaml: string;
}

const PART_NAMES: Record<string, string> = {
	waitFor: 'Waits for',
	then: 'Then goes to',
	waitingText: 'Shown while waiting',
	advance: 'Time that passes first',
	early: 'Ends early',
	branch: 'Goes on by rules',
	discloses: 'Discloses',
	set: 'Sets',
	credit: 'Credit (per cent)'
};
const KEPT_CHARACTERS = 300;

function keptParts(value: Record<string, unknown>, shown: ReadonlySet<string>): KeptPart[] {
	return Object.keys(value)
		.filter((key) => !shown.has(key))
		.map((key) => {
			const yaml = stringify(value[key], { lineWidth: 0 }).trimEnd();
			return { key, name: PART_NAMES[key] ?? key, yaml: yaml.length > KEPT_CHARACTERS ? `${yaml.slice(0, KEPT_CHARACTERS)}…` : yaml };
		});
}

export interface ChoiceView {
	id: string;
	label: string;
	goto: string;
	quality: string;
	point: string;
	comment: string;
	event: string;
	/** Parts the form does not show (discloses, set, credit), kept as they are. */
	kept: KeptPart[];
}

export interface SelectedNode {
	id: string;
	kind: 'turn' | 'branch' | 'end';
	speaker: string;
	text: string;
	end: boolean;
	start: boolean;
	line?: number;
	problems: string[];
	choices: ChoiceView[];
	/** Parts of the node the form does not show (waitFor, then, branch…), kept as they are. */
	kept: KeptPart[];
	/** What leads to this node, in words. */
	leadsHere: string[];
}

export interface DialogueView {
	errors: ScenarioError[];
	/** Null when the YAML cannot be read (the page then sends the tutor to the YAML view). */
	drawing: Drawing | null;
	total: number;
	withProblems: number;
	list: { search: string; page: number; pages: number; matching: number; nodes: ListedNode[] };
	selected: SelectedNode | null;
	personas: { key: string; name: string }[];
	events: { name: string; description: string }[];
	points: { id: string; description: string }[];
	/** Every node as a choice's target is offered; null when there are too many for a select. */
	targets: { id: string; label: string }[] | null;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function firstWords(text: string | undefined, words = WORDS): string {
	const all = (text ?? '').replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
	return all.length > words ? `${all.slice(0, words).join(' ')}…` : all.join(' ');
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function problemsOf(node: GraphNode, checker: ScenarioError[]): string[] {
	const found: string[] = [];
	if (!node.reachable) found.push('The start cannot reach this node: link a choice to it, or remove it.');
	else if (node.deadEnd) found.push('No end can be reached from here: add a choice that leads on, or end the conversation here.');
	for (const c of node.choices) if (c.broken) found.push(`Choice “${firstWords(c.label.replace(/^[“"]|[”"]$/g, ''))}” goes to “${c.goto}”, which is not a node.`);
	for (const x of node.next) if (x.broken) found.push(`The link “${x.label}” goes to “${x.goto}”, which is not a node.`);
	for (const e of checker) {
		// Links to nothing are already said above.
		if (/\.(goto|then|otherwise)$/.test(e.path)) continue;
		const rest = e.path.replace(/^dialogue\.nodes\[\d+\]\.?/, '');
		found.push(rest === '' ? sentence(e.message) : `${rest}: ${e.message}`);
	}
	return found;
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The page's view of a draft, for the node `query.node` (the start when none or unknown). */
export async function dialogueView(scenarioId: string, source: string, query: DialogueQuery): Promise<DialogueView> {
	const checked = await checkSource(draftFile(scenarioId), source);
	const errors = checked.ok ? [] : checked.errors;
	const search = (query.search ?? '').slice(0, 200).trim();
	const empty: DialogueView = {
		errors,
		drawing: null,
		total: 0,
		withProblems: 0,
		list: { search, page: 1, pages: 1, matching: 0, nodes: [] },
		selected: null,
		personas: [],
		events: [],
		points: [],
		targets: null
	};
	const graph = prescanScenario(source) ? undefined : draftGraph(source);
	if (!graph) return empty;
	let data: Record<string, unknown>;
	try {
		data = rec(parseDocument(source, { uniqueKeys: false }).toJS({ maxAliasCount: 100 }));
	} catch {
		return empty;
	}
	const rawNodes = list(rec(data.dialogue).nodes).map(rec);
	const personas = list(data.personas)
		.map(rec)
		.map((p) => ({ key: str(p.key) ?? '', name: str(p.name) ?? str(p.key) ?? '' }))
		.filter((p) => p.key !== '');
	const personaName = new Map(personas.map((p) => [p.key, p.name]));
	const speakerOf = (key: string | undefined) => (key === undefined ? 'Narration' : (personaName.get(key) ?? key));

	const nodeErrors = new Map<number, ScenarioError[]>();
	for (const e of errors) {
		const at = /^dialogue\.nodes\[(\d+)\]/.exec(e.path);
		if (!at) continue;
		const i = Number(at[1]);
		if (!nodeErrors.has(i)) nodeErrors.set(i, []);
		nodeErrors.get(i)!.push(e);
	}
	const problems = graph.nodes.map((n, i) => problemsOf(n, nodeErrors.get(i) ?? []));
	const indexOf = new Map<string, number>();
	graph.nodes.forEach((n, i) => {
		if (!indexOf.has(n.id)) indexOf.set(n.id, i);
	});
	const selectedIndex = indexOf.get(query.node ?? '') ?? indexOf.get(graph.start) ?? 0;
	const selectedId = graph.nodes[selectedIndex]!.id;

	const inputs: LayoutInputNode[] = graph.nodes.map((n) => ({
		id: n.id,
		links: [...n.choices.map((c) => ({ to: c.goto, label: c.label.replace(/^[“"]|[”"]$/g, '') })), ...n.next.map((x) => ({ to: x.goto, label: x.label }))]
	}));
	const partial = graph.nodes.length > WHOLE_GRAPH_NODES;
	const shown = partial ? neighbourhood(inputs, selectedId, 2) : undefined;
	const drawnInputs = shown ? inputs.filter((n) => shown.has(n.id)) : inputs;
	// In a neighbourhood, the layers start from its own sources (the start may be far away).
	const roots = shown
		? (() => {
				const linked = new Set(drawnInputs.flatMap((n) => n.links.map((l) => l.to).filter((to) => to !== n.id)));
				const sources = drawnInputs.filter((n) => !linked.has(n.id)).map((n) => n.id);
				return sources.length > 0 ? sources : [selectedId];
			})()
		: [graph.start];
	const layout = layoutDialogue(drawnInputs, roots);
	const drawn = new Map<string, DrawnNode>();
	for (const p of layout.nodes) {
		const i = indexOf.get(p.id)!;
		const n = graph.nodes[i]!;
		const count = problems[i]!.length;
		const node: DrawnNode = {
			id: n.id,
			x: p.x,
			y: p.y,
			speaker: n.kind === 'branch' ? 'Branch' : speakerOf(n.speaker),
			words: firstWords(n.text) || n.id,
			start: n.start,
			end: n.kind === 'end',
			problems: count,
			selected: n.id === selectedId,
			name: ''
		};
		node.name = [
			`${node.speaker}: ${node.words}`,
			...(node.start ? ['start'] : []),
			...(node.end ? ['ends the call'] : []),
			...(count > 0 ? [plural(count, 'problem')] : []),
			...(node.selected ? ['selected'] : [])
		].join(', ');
		drawn.set(p.id, node);
	}
	const edges: DrawnEdge[] = layout.edges.map((e) => {
		const a = drawn.get(e.from)!;
		const b = drawn.get(e.to)!;
		if (e.kind === 'forward' || (e.kind === 'across' && b.y > a.y)) {
			const x1 = a.x + NODE_WIDTH / 2;
			const y1 = a.y + NODE_HEIGHT;
			const x2 = b.x + NODE_WIDTH / 2;
			const y2 = b.y;
			const my = (y1 + y2) / 2;
			return { ...e, d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`, labelX: (x1 + x2) / 2, labelY: my };
		}
		// Back edges leave and reach the right-hand sides, bowed outwards so they do not cross the boxes.
		const x1 = a.x + NODE_WIDTH;
		const y1 = a.y + NODE_HEIGHT / 2;
		const x2 = b.x + NODE_WIDTH;
		const y2 = b.y + NODE_HEIGHT / 2 + (e.from === e.to ? 12 : 0);
		const bow = Math.max(x1, x2) + 18 + Math.min(60, Math.abs(y1 - y2) / 6);
		return { ...e, d: `M${x1},${y1} C${bow},${y1} ${bow},${y2} ${x2},${y2}`, labelX: bow - 4, labelY: (y1 + y2) / 2 };
	});

	const filtered = graph.nodes
		.map((n, i) => ({ n, i }))
		.filter(({ n }) => {
			if (search === '') return true;
			const needle = search.toLowerCase();
			return n.id.toLowerCase().includes(needle) || (n.text ?? '').toLowerCase().includes(needle) || speakerOf(n.speaker).toLowerCase().includes(needle);
		});
	const pages = Math.max(1, Math.ceil(filtered.length / LIST_PAGE_SIZE));
	const wanted = query.page === undefined && search === '' ? Math.floor(filtered.findIndex(({ i }) => i === selectedIndex) / LIST_PAGE_SIZE) + 1 : (query.page ?? 1);
	const page = Math.min(Math.max(1, Math.trunc(wanted) || 1), pages);

	const raw = rawNodes[selectedIndex] ?? {};
	const g = graph.nodes[selectedIndex]!;
	const SHOWN_NODE_KEYS = new Set(['id', 'speaker', 'text', 'end', 'choices']);
	const SHOWN_CHOICE_KEYS = new Set(['id', 'label', 'goto', 'quality', 'point', 'comment', 'event']);
	const selected: SelectedNode = {
		id: g.id,
		kind: g.kind,
		speaker: str(raw.speaker) ?? '',
		text: str(raw.text)?.trim() ?? '',
		end: raw.end === true,
		start: g.start,
		...(g.line === undefined ? {} : { line: g.line }),
		problems: problems[selectedIndex]!,
		choices: list(raw.choices)
			.map(rec)
			.map((c, j) => ({
				id: str(c.id) ?? `(choice ${j + 1})`,
				label: str(c.label) ?? '',
				goto: typeof c.goto === 'string' ? c.goto : '',
				quality: str(c.quality) ?? '',
				point: str(c.point) ?? '',
				comment: str(c.comment)?.trim() ?? '',
				event: str(c.event) ?? '',
				kept: keptParts(c, SHOWN_CHOICE_KEYS)
			})),
		kept: keptParts(raw, SHOWN_NODE_KEYS),
		leadsHere: graph.nodes.flatMap((n) => [
			...n.choices.filter((c) => c.goto === g.id).map((c) => `${n.id}: “${firstWords(c.label.replace(/^[“"]|[”"]$/g, ''))}”`),
			...n.next.filter((x) => x.goto === g.id).map((x) => `${n.id}: ${x.label}`)
		])
	};
	const listed = (n: GraphNode, i: number): ListedNode => ({
		id: n.id,
		speaker: n.kind === 'branch' ? 'Branch' : speakerOf(n.speaker),
		words: firstWords(n.text),
		problems: problems[i]!.length,
		start: n.start,
		end: n.kind === 'end'
	});
	return {
		errors,
		drawing: { nodes: [...drawn.values()], edges, width: layout.width + 80, height: layout.height, ...(layout.otherTop === undefined ? {} : { otherTop: layout.otherTop }), partial, nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT },
		total: graph.nodes.length,
		withProblems: problems.filter((p) => p.length > 0).length,
		list: { search, page, pages, matching: filtered.length, nodes: filtered.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE).map(({ n, i }) => listed(n, i)) },
		selected,
		personas,
		events: list(data.events)
			.map(rec)
			.map((e) => ({ name: str(e.name) ?? '', description: str(e.description) ?? '' }))
			.filter((e) => e.name !== ''),
		points: list(data.marking)
			.map(rec)
			.map((p) => ({ id: str(p.id) ?? '', description: str(p.description)?.trim() ?? '' }))
			.filter((p) => p.id !== ''),
		targets: graph.nodes.length > SELECT_NODES ? null : graph.nodes.map((n) => ({ id: n.id, label: `${n.kind === 'branch' ? 'Branch' : speakerOf(n.speaker)}: ${firstWords(n.text, 6) || n.id} (${n.id})` }))
	};
}
