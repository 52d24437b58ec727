/**
 * Changes to a scenario's dialogue made from the dialogue page's forms, written into the YAML as a
 * tutor would write them. Only the text of what an edit is about changes: the node edited (re-printed
 * from the `yaml` Document, keeping its comments), the item added or removed, the `start:` value.
 * Every other byte of the file stays as it was, so the YAML view and its comments survive.
 *
 * Pure (text in, text out); run in a worker (server/workers/scenario-jobs.ts), never on the event loop.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, visit, type Node as YamlNode, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { CHOICE_QUALITIES } from './scenario-schema';
import { prescanScenario } from './scenario-limits';

/** The goto value that asks for a new node, made and linked by the edit. */
export const NEW_NODE = '(new node)';
/** The event value that asks for a new event, declared by the edit. */
export const NEW_EVENT = '(new event)';

export interface ChoiceFields {
	label: string;
	/** A node id, or NEW_NODE. */
	goto: string;
	/** '' for untagged. */
	quality: string;
	point: string;
	comment: string;
	/** '' for none, a declared event, or NEW_EVENT with `newEvent`. */
	event: string;
	newEvent?: { name: string; description: string };
}

export type DialogueEdit =
	| { kind: 'node'; node: string; speaker: string; text: string; end: boolean }
	| ({ kind: 'choice'; node: string; choice: string } & ChoiceFields)
	| ({ kind: 'add-choice'; node: string } & ChoiceFields)
	| { kind: 'remove-choice'; node: string; choice: string }
	| { kind: 'remove-node'; node: string }
	| { kind: 'start'; node: string };

export interface DialogueEditError {
	code: string;
	message: string;
	/** The form field the message goes next to. */
	field?: string;
}

export type DialogueEditResult = { ok: true; source: string; node: string } | { ok: false; error: DialogueEditError };

const refuse = (code: string, message: string, field?: string): DialogueEditResult => ({ ok: false, error: { code, message, ...(field ? { field } : {}) } });

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const EVENT_NAME = /^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+$/;
const MAX_TEXT = 4_000;

type Range = [number, number, number];
const rangeOf = (n: unknown): Range | undefined => (n as { range?: Range } | null | undefined)?.range ?? undefined;
const str = (n: unknown): string | undefined => {
	const v = isScalar(n) ? n.value : n;
	return typeof v === 'string' ? v : undefined;
};

interface Parsed {
	doc: Document;
	nodes: YAMLSeq;
	ids: string[];
}

function parse(source: string): Parsed | DialogueEditError {
	const cannot = { code: 'source.unreadable', message: 'The dialogue cannot be changed here until the YAML can be read: fix the YAML problems in the YAML view first.' };
	if (prescanScenario(source)) return cannot;
	const doc = parseDocument(source, { uniqueKeys: false });
	if (doc.errors.length > 0 || !isMap(doc.contents)) return cannot;
	const nodes = doc.getIn(['dialogue', 'nodes'], true);
	if (!isSeq(nodes) || nodes.flow || nodes.items.length === 0 || !nodes.items.every((n) => isMap(n) && !n.flow)) {
		return { code: 'source.unreadable', message: 'The dialogue’s nodes are not written as a list of nodes: change them in the YAML view.' };
	}
	return { doc, nodes, ids: nodes.items.map((n) => str((n as YAMLMap).get('id', true)) ?? '') };
}

function lineStart(source: string, offset: number): number {
	return source.lastIndexOf('\n', offset - 1) + 1;
}

/** `node` printed alone, each line after the first indented by `indent` spaces (it follows "- "). */
function print(node: YamlNode, indent: number): string {
	const doc = new Document();
	doc.contents = node;
	const text = doc.toString({ lineWidth: 0 });
	const pad = ' '.repeat(indent);
	return text
		.replace(/\n$/, '')
		.split('\n')
		.map((line, i) => (i === 0 || line === '' ? line : pad + line))
		.join('\n');
}

/** A line as the printer might write it differently: spacing inside flow collections and before a comment. */
const spacing = (line: string) =>
	line
		.replace(/\s+#/, ' #')
		.replace(/([{[,])\s+/g, '$1')
		.replace(/\s+([}\]])/g, '$1')
		.trimEnd();

/**
 * The printed item with each line that only differs from a line of the old text in spacing written
 * as it was, so re-printing a node does not restyle its untouched lines. Kept only when it reads as
 * the same data as the printed text (a quoted value whose spaces changed is never undone).
 */
function keepOldLines(old: string, printed: string, indent: number): string {
	const pool = new Map<string, string[]>();
	for (const line of old.split('\n')) {
		const key = spacing(line);
		if (!pool.has(key)) pool.set(key, []);
		pool.get(key)!.push(line);
	}
	const candidate = printed
		.split('\n')
		.map((line) => pool.get(spacing(line))?.shift() ?? line)
		.join('\n');
	if (candidate === printed) return printed;
	const asItem = (text: string) => JSON.stringify(parseDocument(`${' '.repeat(Math.max(0, indent - 2))}- ${text}`).toJS());
	try {
		return asItem(candidate) === asItem(printed) ? candidate : printed;
	} catch {
		return printed;
	}
}

/** The scalars of a node as parsed, with their values, to tell later which ones an edit left alone. */
function snapshot(item: YAMLMap): Map<Scalar, unknown> {
	const values = new Map<Scalar, unknown>();
	visit(item, {
		Scalar(_, scalar) {
			values.set(scalar, scalar.value);
		}
	});
	return values;
}

/**
 * The source with the item `item` of a block sequence (its text after "- ") printed again. A
 * multi-line value the edit left alone (a folded text, say) is put back exactly as written: the
 * printer would fold it differently.
 */
function reprintItem(source: string, item: YAMLMap, untouched: Map<Scalar, unknown>): string {
	const [start, , end] = rangeOf(item)!;
	const indent = start - lineStart(source, start);
	const old = source.slice(start, end);
	const trailing = /\n*$/.exec(old)![0];
	const kept: { token: string; text: string; scalar: Scalar; value: unknown; type: Scalar['type'] }[] = [];
	visit(item, {
		Scalar(_, scalar) {
			const range = rangeOf(scalar);
			if (!range || !untouched.has(scalar) || untouched.get(scalar) !== scalar.value) return;
			const text = source.slice(range[0], range[1]).replace(/\n$/, '');
			if (!text.includes('\n')) return;
			const token = `keep-as-written-${kept.length}-${source.length}`;
			kept.push({ token, text, scalar, value: scalar.value, type: scalar.type });
			scalar.value = token;
			scalar.type = 'PLAIN';
		}
	});
	let printed = keepOldLines(old, print(item, indent), indent);
	for (const k of kept) {
		k.scalar.value = k.value;
		k.scalar.type = k.type;
		printed = printed.replace(k.token, () => k.text);
	}
	return source.slice(0, start) + printed + (trailing === '' ? '' : '\n') + source.slice(end);
}

/** The source with `value` appended to the block sequence `seq` (which has at least one item). */
function appendItem(source: string, seq: YAMLSeq, value: YamlNode): string {
	const last = seq.items[seq.items.length - 1] as YamlNode;
	const [start, , end] = rangeOf(last)!;
	const prefix = source.slice(lineStart(source, start), start);
	const blank = seq.items.length > 1 && (seq.items[1] as { spaceBefore?: boolean }).spaceBefore ? '\n' : '';
	const before = source.slice(0, end);
	const glue = before.endsWith('\n') ? '' : '\n';
	return `${before}${glue}${blank}${prefix}${print(value, prefix.length)}\n${source.slice(end)}`;
}

/** The source without item `index` of the block sequence `seq` (the line of its "- " included). */
function removeItem(source: string, seq: YAMLSeq, index: number): string {
	const item = seq.items[index] as YamlNode;
	const [start, , end] = rangeOf(item)!;
	let from = lineStart(source, start);
	// The blank line that separated it from the item before goes with it.
	if (index > 0 && source.slice(Math.max(0, from - 2), from) === '\n\n') from -= 1;
	return source.slice(0, from) + source.slice(end);
}

function replaceScalar(source: string, scalar: YamlNode, text: string): string {
	const [start, end] = rangeOf(scalar)!;
	return source.slice(0, start) + text + source.slice(end);
}

/** A new id from words: its first few words in kebab case, unique among `taken`. */
export function idFrom(words: string, taken: ReadonlySet<string>, fallback: string): string {
	const base =
		words
			.toLowerCase()
			.normalize('NFKD')
			.replace(/[^a-z0-9\s-]/g, ' ')
			.split(/[\s-]+/)
			.filter(Boolean)
			.slice(0, 4)
			.join('-')
			.slice(0, 40)
			.replace(/-+$/, '') || fallback;
	let id = base;
	for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
	return id;
}

/** What leads to node `id`: the start, choices, waits and branches, in words. */
export function linksTo(parsed: { doc: Document; nodes: YAMLSeq }, id: string): string[] {
	const found: string[] = [];
	if (str(parsed.doc.getIn(['dialogue', 'start'])) === id) found.push('it is the start node');
	for (const item of parsed.nodes.items as YAMLMap[]) {
		const from = str(item.get('id')) ?? '(a node without an id)';
		const choices = item.get('choices', true);
		if (isSeq(choices)) for (const c of choices.items) if (isMap(c) && str(c.get('goto')) === id) found.push(`choice “${(str(c.get('label')) ?? str(c.get('id')) ?? '').replace(/^[“"]|[”"]$/g, '')}” of node ${from}`);
		if (str(item.get('then')) === id) found.push(`the wait of node ${from}`);
		const branch = item.get('branch', true);
		if (isMap(branch)) {
			const cases = branch.get('cases', true);
			if (isSeq(cases) && cases.items.some((c) => isMap(c) && str(c.get('goto')) === id)) found.push(`a branch case of node ${from}`);
			if (str(branch.get('otherwise')) === id) found.push(`the branch of node ${from} (otherwise)`);
		}
	}
	return found;
}

function declaredEvents(doc: Document): Set<string> {
	const events = doc.get('events', true);
	const names = new Set<string>();
	if (isSeq(events)) for (const e of events.items) if (isMap(e)) names.add(str(e.get('name')) ?? '');
	return names;
}

function pointIds(doc: Document): Set<string> {
	const marking = doc.get('marking', true);
	const ids = new Set<string>();
	if (isSeq(marking)) for (const p of marking.items) if (isMap(p)) ids.add(str(p.get('id')) ?? '');
	return ids;
}

function personaKeys(doc: Document): Set<string> {
	const personas = doc.get('personas', true);
	const keys = new Set<string>();
	if (isSeq(personas)) for (const p of personas.items) if (isMap(p)) keys.add(str(p.get('key')) ?? '');
	return keys;
}

/** Checks a choice's fields against the file; the first problem, with its field. */
function checkChoice(parsed: Parsed, fields: ChoiceFields): DialogueEditError | undefined {
	if (fields.label.trim() === '') return { code: 'choice.label', message: 'Write what the learner says or does.', field: 'label' };
	if (fields.label.length > MAX_TEXT) return { code: 'choice.label', message: `Use at most ${MAX_TEXT} characters.`, field: 'label' };
	if (fields.goto !== NEW_NODE && !parsed.ids.includes(fields.goto)) {
		return { code: 'choice.goto', message: `There is no node “${fields.goto.slice(0, 80)}”: choose a node from the list, or a new node.`, field: 'goto' };
	}
	if (fields.quality !== '' && !(CHOICE_QUALITIES as readonly string[]).includes(fields.quality)) return { code: 'choice.quality', message: 'Choose a quality from the list.', field: 'quality' };
	if (fields.quality !== '' && !pointIds(parsed.doc).has(fields.point)) {
		return { code: 'choice.point', message: 'A choice with a quality is judged under a marking point: choose one.', field: 'point' };
	}
	if (fields.quality === '' && (fields.point !== '' || fields.comment.trim() !== '')) {
		return { code: 'choice.quality', message: 'A marking point and a comment go with a quality: choose how good this choice is, or clear them.', field: 'quality' };
	}
	if (fields.comment.length > MAX_TEXT) return { code: 'choice.comment', message: `Use at most ${MAX_TEXT} characters.`, field: 'comment' };
	if (fields.event === NEW_EVENT) {
		const name = fields.newEvent?.name.trim() ?? '';
		const description = fields.newEvent?.description.trim() ?? '';
		if (!EVENT_NAME.test(name)) return { code: 'event.name', message: 'Name the event in lower-case dotted words, e.g. “asked.caller.for.dob”.', field: 'eventName' };
		if (declaredEvents(parsed.doc).has(name)) return { code: 'event.name', message: `There is already an event “${name}”: choose it from the list instead.`, field: 'eventName' };
		if (description === '' || description.length > MAX_TEXT) return { code: 'event.description', message: 'Describe what the learner did, in words the debrief can show.', field: 'eventDescription' };
	} else if (fields.event !== '' && !declaredEvents(parsed.doc).has(fields.event)) {
		return { code: 'choice.event', message: 'Choose an event from the list, or a new one.', field: 'event' };
	}
	return undefined;
}

/** Writes a choice's fields into `choice` (a map of the document), keeping the keys the form does not show. */
function writeChoice(doc: Document, choice: YAMLMap, fields: ChoiceFields, goto: string) {
	const setOrDelete = (key: string, value: string) => {
		if (value === '') choice.delete(key);
		else if (isScalar(choice.get(key, true))) (choice.get(key, true) as { value: unknown }).value = value;
		else choice.set(key, doc.createNode(value));
	};
	setOrDelete('label', fields.label.trim());
	setOrDelete('event', fields.event === NEW_EVENT ? fields.newEvent!.name.trim() : fields.event);
	setOrDelete('goto', goto);
	setOrDelete('quality', fields.quality);
	setOrDelete('point', fields.quality === '' ? '' : fields.point);
	setOrDelete('comment', fields.quality === '' ? '' : fields.comment.trim());
	if (fields.quality === '') choice.delete('credit');
}

/**
 * Applies one edit to a scenario's source. Refused (nothing changed) when the node or choice does
 * not exist, a field is invalid, or a node something leads to would be removed.
 */
export function applyDialogueEdit(source: string, edit: DialogueEdit): DialogueEditResult {
	const parsed = parse(source);
	if (!('doc' in parsed)) return { ok: false, error: parsed };
	const index = parsed.ids.indexOf(edit.node);
	if (index < 0) return refuse('node.not-found', `There is no node “${edit.node.slice(0, 80)}” in this dialogue (it may have been removed): choose a node on the graph.`, 'node');
	const node = parsed.nodes.items[index] as YAMLMap;
	const { doc } = parsed;
	const asParsed = snapshot(node);

	switch (edit.kind) {
		case 'node': {
			if (edit.speaker !== '' && !personaKeys(doc).has(edit.speaker)) return refuse('node.speaker', 'Choose a person from the list, or narration.', 'speaker');
			if (edit.text.length > MAX_TEXT) return refuse('node.text', `Use at most ${MAX_TEXT} characters.`, 'text');
			if (node.has('branch')) return refuse('node.branch', 'This node is a branch: change it in the YAML view.', 'node');
			if (edit.end && (node.has('choices') || node.has('waitFor'))) {
				return refuse('node.end', 'A node where the conversation ends has no choices or waiting: remove its choices first (or change the waiting in the YAML view).', 'end');
			}
			const text = edit.text.replace(/\r\n/g, '\n').trim();
			const setOrDelete = (key: string, value: string) => {
				if (value === '') node.delete(key);
				else if (isScalar(node.get(key, true))) (node.get(key, true) as { value: unknown }).value = value;
				else node.set(key, doc.createNode(value));
			};
			setOrDelete('speaker', edit.speaker);
			setOrDelete('text', text);
			if (edit.end) node.set('end', true);
			else node.delete('end');
			if (!edit.end) node.delete('early');
			return { ok: true, source: reprintItem(source, node, asParsed), node: edit.node };
		}
		case 'choice':
		case 'add-choice': {
			if (node.has('branch') || node.has('end')) return refuse('node.no-choices', 'This node has no choices (it is a branch or an end): change that first.', 'node');
			const problem = checkChoice(parsed, edit);
			if (problem) return { ok: false, error: problem };
			const existing: unknown = node.get('choices', true);
			let choice: YAMLMap;
			if (edit.kind === 'choice') {
				const found = isSeq(existing) ? existing.items.find((c) => isMap(c) && str(c.get('id')) === edit.choice) : undefined;
				if (!isMap(found)) return refuse('choice.not-found', `Node ${edit.node} has no choice “${edit.choice.slice(0, 80)}” (it may have been removed).`, 'choice');
				choice = found;
			} else {
				let choices: YAMLSeq;
				if (isSeq(existing)) choices = existing;
				else {
					choices = doc.createNode([]) as YAMLSeq;
					node.set('choices', choices);
				}
				const taken = new Set(choices.items.map((c) => (isMap(c) ? (str(c.get('id')) ?? '') : '')));
				choice = doc.createNode({ id: idFrom(edit.label, taken, 'choice') }) as YAMLMap;
				choices.items.push(choice);
			}
			const goto = edit.goto === NEW_NODE ? idFrom(`${edit.node} next`, new Set(parsed.ids), 'new-node') : edit.goto;
			writeChoice(doc, choice, edit, goto);
			let out = reprintItem(source, node, asParsed);
			if (edit.goto === NEW_NODE) {
				const reparsed = parse(out) as Parsed;
				const speaker = str(node.get('speaker'));
				const made = doc.createNode({ id: goto, ...(speaker ? { speaker } : {}), text: 'New node: write what is said here, then add its choices.' });
				out = appendItem(out, reparsed.nodes, made);
			}
			if (edit.event === NEW_EVENT) out = declareEvent(out, edit.newEvent!.name.trim(), edit.newEvent!.description.trim());
			return { ok: true, source: out, node: edit.node };
		}
		case 'remove-choice': {
			const choices: unknown = node.get('choices', true);
			const at = isSeq(choices) ? choices.items.findIndex((c) => isMap(c) && str(c.get('id')) === edit.choice) : -1;
			if (!isSeq(choices) || at < 0) return refuse('choice.not-found', `Node ${edit.node} has no choice “${edit.choice.slice(0, 80)}” (it may have been removed).`, 'choice');
			choices.items.splice(at, 1);
			if (choices.items.length === 0) node.delete('choices');
			return { ok: true, source: reprintItem(source, node, asParsed), node: edit.node };
		}
		case 'remove-node': {
			const leading = linksTo(parsed, edit.node).filter((l) => !l.endsWith(`of node ${edit.node}`) && !l.endsWith(`of node ${edit.node} (otherwise)`));
			if (leading.length > 0) {
				return refuse('node.linked', `Node ${edit.node} cannot be removed while something leads to it: ${leading.slice(0, 5).join('; ')}${leading.length > 5 ? `; and ${leading.length - 5} more` : ''}. Change those first.`, 'node');
			}
			if (parsed.nodes.items.length === 1) return refuse('node.last', 'A dialogue needs at least one node: this is the last one.', 'node');
			const out = removeItem(source, parsed.nodes, index);
			const neighbour = parsed.ids[index + 1] ?? parsed.ids[index - 1]!;
			return { ok: true, source: out, node: neighbour };
		}
		case 'start': {
			const start = doc.getIn(['dialogue', 'start'], true);
			if (!isScalar(start) || !rangeOf(start)) return refuse('start.unreadable', 'The dialogue’s `start:` cannot be found: set it in the YAML view.', 'node');
			return { ok: true, source: replaceScalar(source, start as YamlNode, edit.node), node: edit.node };
		}
	}
}

/** The source with `name` declared under `events` (a list made before `dialogue:` when there is none). */
function declareEvent(source: string, name: string, description: string): string {
	const doc = parseDocument(source, { uniqueKeys: false });
	const entry = doc.createNode({ name, description });
	const events = doc.get('events', true);
	if (isSeq(events) && !events.flow && events.items.length > 0) return appendItem(source, events, entry);
	const block = `events:\n  - ${print(entry, 4)}\n`;
	const pair = isMap(doc.contents) ? doc.contents.items.find((p) => str(p.key) === 'events') : undefined;
	if (pair) {
		// `events: []` or an empty key: the whole pair becomes the block list.
		const keyStart = rangeOf(pair.key)![0];
		const valueEnd = rangeOf(pair.value)?.[2] ?? keyStart + 'events:'.length;
		const rest = source.slice(valueEnd).replace(/^[^\n]*\n?/, '');
		return source.slice(0, keyStart) + block + rest;
	}
	const dialogue = isMap(doc.contents) ? doc.contents.items.find((p) => str(p.key) === 'dialogue') : undefined;
	const at = dialogue ? lineStart(source, rangeOf(dialogue.key)![0]) : source.length;
	return source.slice(0, at) + block + (dialogue ? '\n' : '') + source.slice(at);
}
