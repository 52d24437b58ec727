/**
 * Edits of a scenario's YAML text in place, for the editors that write YAML for the tutor (the
 * form editor). Each edit splices only the text of what it changes, found through the `yaml`
 * library's node ranges, so every other byte of the file (comments, blank lines, quoting, folded
 * paragraphs) stays exactly as written. Where the layout is one the splice does not handle (a flow
 * map `{ ... }`, a missing parent), the edit goes through the Document API instead: still valid
 * and with its comments, only re-laid out.
 *
 * Pure and synchronous; callers run it in a worker (server/workers/scenario-jobs.ts).
 */
import { Document, isCollection, isMap, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export type Path = readonly (string | number)[];

type Range = [number, number, number];
const rangeOf = (node: unknown): Range | undefined => (node as { range?: Range } | null | undefined)?.range ?? undefined;

const lineStart = (src: string, i: number) => src.lastIndexOf('\n', i - 1) + 1;
function lineEnd(src: string, i: number): number {
	const n = src.indexOf('\n', i);
	return n < 0 ? src.length : n + 1;
}
const column = (src: string, i: number) => i - lineStart(src, i);
const splice = (src: string, from: number, to: number, text: string) => src.slice(0, from) + text + src.slice(to);

/** The end of a node's text including its line's end (trailing comment and newline). */
function endOfLines(src: string, range: Range): number {
	const end = Math.max(range[1], range[2]);
	return end > 0 && src[end - 1] === '\n' ? end : lineEnd(src, end);
}

const parse = (source: string) => parseDocument(source, { keepSourceTokens: false });

/** YAML text of a value as it would follow `key: ` at `indent`, lines after the first indented. */
function valueText(value: unknown, indent: number, like?: Node | null): string {
	const doc = new Document({ k: value });
	const node = doc.get('k', true) as Node;
	if (isScalar(node) && isScalar(like) && typeof value === 'string') {
		const multiline = value.includes('\n');
		const block = like.type === Scalar.BLOCK_LITERAL || like.type === Scalar.BLOCK_FOLDED;
		// Keep the author's style where it can hold the value; text with line breaks becomes a literal block.
		if (multiline) node.type = like.type === Scalar.BLOCK_FOLDED ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL;
		// Quotes are kept; plain is left to the library, which quotes what would otherwise read as a number or a date.
		else if (like.type === Scalar.QUOTE_DOUBLE || like.type === Scalar.QUOTE_SINGLE) node.type = like.type;
	} else if (isScalar(node) && typeof value === 'string' && value.includes('\n')) {
		node.type = Scalar.BLOCK_LITERAL;
	}
	if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
	const out = doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
	const body = out.slice(2).replace(/^ /, '');
	const pad = ' '.repeat(indent);
	return body
		.split('\n')
		.map((line, i) => (i === 0 || line === '' ? line : pad + line))
		.join('\n');
}

/** A value's text after `key:`: a block collection starts on the next line, anything else after a space. */
const afterColon = (text: string) => (text.startsWith('\n') ? text : ` ${text}`);

/** The map holding `path`'s last key, and that pair, from a parsed document. */
function pairAt(doc: Document, path: Path): { map: YAMLMap | undefined; pair: Pair | undefined } {
	const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
	if (!isMap(parent)) return { map: undefined, pair: undefined };
	const key = path[path.length - 1];
	const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key) as Pair | undefined;
	return { map: parent as YAMLMap, pair };
}

const viaDocument = (source: string, change: (doc: Document) => void): string => {
	const doc = parse(source);
	change(doc);
	return doc.toString({ lineWidth: 0 });
};

/** Sets the value at `path` (a map key), adding the key at the end of its map if it is missing. */
export function setValue(source: string, path: Path, value: unknown): string {
	const doc = parse(source);
	const { map, pair } = pairAt(doc, path);
	const mapRange = rangeOf(map);
	if (!map || !mapRange || map.flow) return viaDocument(source, (d) => d.setIn(path, value));
	const keyIndent = column(source, rangeOf(map.items[0]?.key)?.[0] ?? mapRange[0]);
	if (pair) {
		const range = rangeOf(pair.value);
		if (!range) {
			// `key:` with nothing after it: write the value after the colon.
			const keyRange = rangeOf(pair.key)!;
			const at = source.indexOf(':', keyRange[1]) + 1;
			return splice(source, at, at, afterColon(valueText(value, keyIndent)));
		}
		const oldNode = pair.value as Node;
		const text = valueText(value, keyIndent, oldNode);
		const wasBlock = source.slice(range[0], range[1]).endsWith('\n') || (isCollection(oldNode) && !oldNode.flow);
		const becomesBlock = text.includes('\n');
		if (!wasBlock && !becomesBlock) return splice(source, range[0], range[1], text);
		// Block text replaces the value to its line's end (a trailing comment cannot follow a block).
		let from = range[0];
		// A block collection starts on the line after its key: the new value goes right after the key.
		if (isCollection(oldNode) && !oldNode.flow) from = source.indexOf(':', rangeOf(pair.key)![1]) + 1;
		const lead = from === range[0] || text.startsWith('\n') ? '' : ' ';
		return splice(source, from, endOfLines(source, range), `${lead}${text}\n`);
	}
	const last = map.items[map.items.length - 1];
	if (!last) return viaDocument(source, (d) => d.setIn(path, value));
	const lastRange = rangeOf(last.value) ?? rangeOf(last.key)!;
	const at = endOfLines(source, lastRange);
	const key = String(path[path.length - 1]);
	const prefix = at > 0 && source[at - 1] !== '\n' ? '\n' : '';
	return splice(source, at, at, `${prefix}${' '.repeat(keyIndent)}${key}:${afterColon(valueText(value, keyIndent))}\n`);
}

/** Removes the key at `path` and its value (nothing when it is not there). */
export function deleteKey(source: string, path: Path): string {
	const doc = parse(source);
	const { map, pair } = pairAt(doc, path);
	if (!pair) return source;
	const keyRange = rangeOf(pair.key);
	if (!map || map.flow || !keyRange) return viaDocument(source, (d) => d.deleteIn(path));
	const end = endOfLines(source, rangeOf(pair.value) ?? keyRange);
	if (map.items.length === 1) return setValue(source, path.slice(0, -1), {});
	return splice(source, lineStart(source, keyRange[0]), end, '');
}

/** The position of the `-` that starts a block sequence's item. */
function dashOf(source: string, itemStart: number): number {
	let i = itemStart - 1;
	while (i >= 0 && source[i] !== '-') i--;
	return i;
}

/** Appends an item to the sequence at `path` (created when missing), laid out like its items. */
export function appendItem(source: string, path: Path, value: unknown): string {
	const doc = parse(source);
	const seq = doc.getIn(path, true) as YAMLSeq | undefined;
	if (!isSeq(seq) || seq.flow || seq.items.length === 0) {
		if (isSeq(seq) && seq.items.length > 0) return viaDocument(source, (d) => d.addIn(path, value));
		return setValue(source, path, [value]);
	}
	const first = rangeOf(seq.items[0])!;
	const last = rangeOf(seq.items[seq.items.length - 1])!;
	const dash = column(source, dashOf(source, first[0]));
	const spaced = seq.items.length > 1 && (seq.items[1] as { spaceBefore?: boolean }).spaceBefore === true;
	const item = new Document([value])
		.toString({ lineWidth: 0 })
		.replace(/\n$/, '')
		.split('\n')
		.map((line) => (line === '' ? line : ' '.repeat(dash) + line))
		.join('\n');
	const at = endOfLines(source, last);
	return splice(source, at, at, `${spaced ? '\n' : ''}${item}\n`);
}

/** Removes item `index` of the sequence at `path`; the last item leaves an empty list `[]`. */
export function removeItem(source: string, path: Path, index: number): string {
	const doc = parse(source);
	const seq = doc.getIn(path, true) as YAMLSeq | undefined;
	if (!isSeq(seq) || index < 0 || index >= seq.items.length) return source;
	if (seq.items.length === 1) return setValue(source, path, []);
	const range = rangeOf(seq.items[index]);
	if (seq.flow || !range) return viaDocument(source, (d) => d.deleteIn([...path, index]));
	let from = lineStart(source, dashOf(source, range[0]));
	let to = endOfLines(source, range);
	// Blank lines between items: the removed item takes the blank line before it (or, first, the one after).
	const before = source.slice(0, from);
	if (index > 0 && /\n\n$/.test(before)) from -= 1;
	else if (index === 0 && source.slice(to).startsWith('\n')) to += 1;
	return splice(source, from, to, '');
}
