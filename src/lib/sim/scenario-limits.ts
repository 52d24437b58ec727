/**
 * How large a scenario file may be, checked before the file is parsed so that a file too large
 * for the checker's time budget is refused in microseconds with a message naming the limit
 * (ASVS 5.0 V2.4 anti-automation and V5.2.x: bound the resources a single input may use).
 *
 * The library's files are about 30 kB with 20–40 nodes; the limits admit a 250 kB file of a few
 * thousand nodes and choices, and nothing that could keep the checker busy for seconds.
 */
export const MAX_SOURCE_BYTES = 256 * 1024;
/** Dialogue nodes. */
export const MAX_NODES = 5_000;
/** Choices, over all nodes. */
export const MAX_CHOICES = 10_000;
/** Entries with an `id` key (nodes, choices, marking points): what the pre-scan can count without parsing. */
export const MAX_IDS = MAX_NODES + MAX_CHOICES;
/** Nesting of mappings and lists: the library's deepest rule sits about 20 levels down. */
export const MAX_DEPTH = 100;
/** Facts a scenario declares for its personas to know. */
export const MAX_FACTS = 200;
/** Scenario variables. */
export const MAX_VARIABLES = 200;
/** Entries on a scenario's OPG register, and attorneys of one entry (the OPG allows any number; a story needs few). */
export const MAX_OPG_REGISTER_ENTRIES = 200;
export const MAX_ATTORNEYS = 20;

export type LimitProblem = { limit: 'bytes' | 'ids' | 'depth'; message: string };

const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} kB`;

/**
 * The first limit the text breaks, found by one pass over its characters: its size; the entries it
 * gives an `id` (a line or flow item starting `id:`); the depth of its indentation and of its `[`
 * and `{` (outside quotes). A cheap estimate: a file it admits is counted exactly once parsed
 * (scenarioSizeProblem), before the schema and the checks run.
 */
export function prescanScenario(text: string): LimitProblem | undefined {
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > MAX_SOURCE_BYTES) return { limit: 'bytes', message: `the file is ${kb(bytes)}; a scenario may be at most ${kb(MAX_SOURCE_BYTES)}` };
	const ids = text.match(/(?:^|[\s{,[-])["']?id["']?[ \t]*:/gm)?.length ?? 0;
	if (ids > MAX_IDS) {
		return { limit: 'ids', message: `the file has ${ids} entries with an id (dialogue nodes, choices, marking points); a scenario may have at most ${MAX_IDS}` };
	}
	const depth = nestingDepth(text);
	if (depth > MAX_DEPTH) return { limit: 'depth', message: `the file nests lists and mappings ${depth} levels deep; a scenario may nest at most ${MAX_DEPTH}` };
	return undefined;
}

/** The deepest nesting: indentation levels (distinct indents on the stack) plus open brackets. */
function nestingDepth(text: string): number {
	let deepest = 0;
	const indents: number[] = [];
	let brackets = 0;
	let quote: string | undefined;
	let lineStart = true;
	let indent = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (c === '\n') {
			lineStart = true;
			indent = 0;
			continue;
		}
		if (lineStart) {
			if (c === ' ' || c === '-') {
				indent++;
				continue;
			}
			lineStart = false;
			if (c !== '#' && brackets === 0 && quote === undefined) {
				while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
				indents.push(indent);
			}
		}
		if (quote !== undefined) {
			if (c === '\\' && quote === '"') i++;
			else if (c === quote) quote = undefined;
			continue;
		}
		if (c === '#') {
			const eol = text.indexOf('\n', i);
			i = eol === -1 ? text.length : eol - 1;
		} else if ((c === '"' || c === "'") && /[\s,[{:]/.test(text[i - 1] ?? ' ')) quote = c;
		else if (c === '[' || c === '{') brackets++;
		else if ((c === ']' || c === '}') && brackets > 0) brackets--;
		deepest = Math.max(deepest, indents.length + brackets);
	}
	return deepest;
}

/** The exact counts of a parsed file (before the schema): the first limit it breaks. */
export function scenarioSizeProblem(data: unknown): LimitProblem | undefined {
	const depth = depthOf(data);
	if (depth > MAX_DEPTH) return { limit: 'depth', message: `the file nests lists and mappings ${depth} levels deep; a scenario may nest at most ${MAX_DEPTH}` };
	const dialogue = (data as { dialogue?: { nodes?: unknown } } | null)?.dialogue;
	const nodes = Array.isArray(dialogue?.nodes) ? (dialogue.nodes as unknown[]) : [];
	if (nodes.length > MAX_NODES) return { limit: 'ids', message: `the dialogue has ${nodes.length} nodes; a scenario may have at most ${MAX_NODES}` };
	const choices = nodes.reduce<number>((n, node) => n + (Array.isArray((node as { choices?: unknown } | null)?.choices) ? (node as { choices: unknown[] }).choices.length : 0), 0);
	if (choices > MAX_CHOICES) return { limit: 'ids', message: `the dialogue has ${choices} choices; a scenario may have at most ${MAX_CHOICES}` };
	return undefined;
}

/** Depth of nested arrays and objects, without recursion (so a deep value cannot overflow the stack). */
function depthOf(value: unknown): number {
	let deepest = 0;
	const stack: [unknown, number][] = [[value, 0]];
	while (stack.length > 0) {
		const [v, depth] = stack.pop()!;
		if (v === null || typeof v !== 'object') continue;
		deepest = Math.max(deepest, depth + 1);
		if (deepest > MAX_DEPTH) return deepest;
		for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
	}
	return deepest;
}
