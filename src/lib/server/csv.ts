/**
 * CSV as spreadsheets write and read it (RFC 4180): fields separated by commas, quoted when they
 * hold a comma, a quote or a line break, quotes doubled inside quotes.
 */

/**
 * A cell a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return
 * before one) is prefixed with an apostrophe, so an exported name like "=HYPERLINK(…)" stays text
 * (OWASP: CSV injection).
 */
export function formulaSafe(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quoted(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows of cells as CSV text, CRLF line ends, every text cell formula-safe. */
export function toCsv(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
	return rows
		.map((row) => row.map((cell) => (cell === null ? '' : typeof cell === 'string' ? quoted(formulaSafe(cell)) : String(cell))).join(','))
		.join('\r\n')
		.concat('\r\n');
}

export interface CsvRow {
	/** The line the row starts on, counting the first line of the file as 1 (as a spreadsheet does). */
	line: number;
	cells: string[];
}

export type CsvParse = { ok: true; rows: CsvRow[] } | { ok: false; message: string; line: number };

/** Parses CSV text; blank lines are skipped. A quote left open is an error naming its line. */
export function parseCsv(text: string): CsvParse {
	const rows: CsvRow[] = [];
	// A byte-order mark from Excel's "CSV UTF-8" is not part of the first header.
	const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
	let line = 1;
	let rowLine = 1;
	let cells: string[] = [];
	let cell = '';
	let inQuotes = false;
	let quoteLine = 0;
	const endRow = () => {
		cells.push(cell);
		if (!(cells.length === 1 && cells[0]!.trim() === '')) rows.push({ line: rowLine, cells });
		cells = [];
		cell = '';
	};
	for (let i = 0; i < input.length; i++) {
		const ch = input[i]!;
		if (inQuotes) {
			if (ch === '"') {
				if (input[i + 1] === '"') {
					cell += '"';
					i++;
				} else inQuotes = false;
			} else {
				if (ch === '\n') line++;
				cell += ch;
			}
			continue;
		}
		if (ch === '"' && cell.trim() === '') {
			cell = '';
			inQuotes = true;
			quoteLine = line;
		} else if (ch === ',') {
			cells.push(cell);
			cell = '';
		} else if (ch === '\r' || ch === '\n') {
			if (ch === '\r' && input[i + 1] === '\n') i++;
			endRow();
			line++;
			rowLine = line;
		} else cell += ch;
	}
	if (inQuotes) return { ok: false, message: `A quoted value that starts on line ${quoteLine} is never closed with a quote (").`, line: quoteLine };
	if (cell !== '' || cells.length > 0) endRow();
	return { ok: true, rows };
}
