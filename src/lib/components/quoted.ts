/**
 * A title or phrase set in quotation marks within a sentence. Many scenario titles carry their own
 * quotation (“I'm his wife”: a caller asks…): quoting one again must not give ““…””. A title that is
 * one whole quotation is shown as it is; quotation marks inside a title become single ones, as
 * British style nests them: “‘I'm his wife’: a caller asks…”.
 */
export function quoted(text: string): string {
	const inner = text.slice(1, -1);
	if (text.length > 1 && text.startsWith('“') && text.endsWith('”') && !inner.includes('“') && !inner.includes('”')) return text;
	return `“${text.replace(/“/g, '‘').replace(/”/g, '’')}”`;
}
