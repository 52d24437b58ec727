/**
 * A scenario's brief is written in a small part of Markdown: paragraphs, bulleted and numbered
 * lists (an item may run on over indented lines), **bold** and *emphasis*. It is read into blocks
 * and rendered as elements, never as HTML, so a brief can hold no markup of its own.
 */

export type Inline = { text: string; strong?: true; em?: true };
export type BriefBlock = { kind: 'paragraph'; content: Inline[] } | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] };

const BULLET = /^[-*] +(.*)$/;
const NUMBERED = /^(\d{1,3})[.)] +(.*)$/;

/** `**strong**` and `*emphasis*`; an unmatched marker stays as written. */
export function parseInline(text: string): Inline[] {
	const parts: Inline[] = [];
	const pattern = /\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*/g;
	let last = 0;
	for (const match of text.matchAll(pattern)) {
		if (match.index > last) parts.push({ text: text.slice(last, match.index) });
		parts.push(match[1] !== undefined ? { text: match[1], strong: true } : { text: match[2]!, em: true });
		last = match.index + match[0].length;
	}
	if (last < text.length) parts.push({ text: text.slice(last) });
	return parts;
}

export function parseBrief(source: string): BriefBlock[] {
	const blocks: BriefBlock[] = [];
	let paragraph: string[] = [];
	let list: { ordered: boolean; start: number; items: string[] } | null = null;

	const flush = () => {
		if (paragraph.length > 0) blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join(' ')) });
		if (list) blocks.push({ kind: 'list', ordered: list.ordered, start: list.start, items: list.items.map(parseInline) });
		paragraph = [];
		list = null;
	};

	for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
		const line = raw.trim();
		if (line === '') {
			flush();
			continue;
		}
		const bullet = BULLET.exec(line);
		const numbered = bullet ? null : NUMBERED.exec(line);
		if (bullet || numbered) {
			const ordered = numbered !== null;
			if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush();
			list ??= { ordered, start: numbered ? Number(numbered[1]) : 1, items: [] };
			list.items.push(bullet ? bullet[1]! : numbered![2]!);
			continue;
		}
		// An indented line under a list item carries the item on; anything else starts a paragraph.
		if (list && /^\s/.test(raw)) {
			list.items[list.items.length - 1] += ` ${line}`;
			continue;
		}
		if (list) flush();
		paragraph.push(line);
	}
	flush();
	return blocks;
}
