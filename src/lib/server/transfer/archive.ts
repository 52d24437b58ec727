/**
 * The archive db:export writes and db:import reads: gzip'd NDJSON, engine-neutral (no SQLite file).
 *
 * Line 1, the header: `{"format":"custodian-archive","version":1,"schema":<last migration's tag>,
 * "sourceEngine":"sqlite"|"postgres","exportedAt":<ISO>,"scope":…,"tables":[{name, columns:[{name,type}],
 * primaryKey, rows}]}`, tables parents first. Then one line per row, `{"table":…,"row":{column: value}}`,
 * in the header's table order and each table in primary-key order (the tables of links.ts
 * INSERTION_ORDERED_TABLES in the order their rows were inserted), values by the column's type:
 * text and integer as JSON strings and numbers, boolean true/false, json as the JSON value itself,
 * blob as base64, timestamp as an ISO string, bigint as a decimal string; null as null.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { ColumnInfo, ColumnType } from './catalogue';
import { TransferError } from './errors';

export const ARCHIVE_FORMAT = 'custodian-archive';
export const ARCHIVE_VERSION = 1;
/** A row longer than this is refused, never read whole: the largest real row (a scenario's YAML, a decision's evidence) is far smaller. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export type ArchiveScope = { kind: 'installation' } | { kind: 'centre'; organisationId: string; name: string };

export interface ArchiveTable {
	name: string;
	columns: { name: string; type: ColumnType }[];
	primaryKey: string[];
	rows: number;
}

export interface ArchiveHeader {
	format: typeof ARCHIVE_FORMAT;
	version: number;
	schema: string;
	sourceEngine: string;
	exportedAt: string;
	scope: ArchiveScope;
	tables: ArchiveTable[];
}

/** A value as drizzle gives it, in its archive form. */
export function encodeValue(column: ColumnInfo, value: unknown): unknown {
	if (value === null || value === undefined) return null;
	switch (column.type) {
		case 'blob':
			return Buffer.from(value as Uint8Array).toString('base64');
		case 'timestamp':
			return (value as Date).toISOString();
		case 'bigint':
			return (value as bigint).toString();
		default:
			return value;
	}
}

/** An archive value as drizzle takes it; a value of the wrong kind is refused, naming the column. */
export function decodeValue(column: { name: string; type: ColumnType }, value: unknown, where: string): unknown {
	if (value === null) return null;
	const wrong = () => new TransferError(`${where}: column ${column.name} should hold ${column.type}, not ${JSON.stringify(value).slice(0, 40)}.`);
	switch (column.type) {
		case 'text':
			if (typeof value !== 'string') throw wrong();
			return value;
		case 'integer':
			if (!Number.isSafeInteger(value)) throw wrong();
			return value;
		case 'real':
			if (typeof value !== 'number') throw wrong();
			return value;
		case 'boolean':
			if (typeof value !== 'boolean') throw wrong();
			return value;
		case 'json':
			return value;
		case 'blob':
			if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw wrong();
			return Buffer.from(value, 'base64');
		case 'timestamp': {
			if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw wrong();
			return new Date(value);
		}
		case 'bigint':
			if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw wrong();
			return BigInt(value);
	}
}

/**
 * The archive's lines, one at a time, from a gzip'd file: streamed (never read whole), each line
 * refused once it grows past `maxLineBytes`. Damage is reported in words: not gzip, truncated.
 */
export async function* archiveLines(path: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<{ number: number; text: string }> {
	const file = createReadStream(path);
	const gunzip = createGunzip();
	const source = file.pipe(gunzip);
	file.on('error', (e) => gunzip.destroy(e));
	let pending: Buffer[] = [];
	let pendingBytes = 0;
	let number = 0;
	try {
		for await (const chunk of source as AsyncIterable<Buffer>) {
			let start = 0;
			for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
				const piece = chunk.subarray(start, newline);
				if (pendingBytes + piece.length > maxLineBytes) throw tooLong(number + 1, maxLineBytes);
				pending.push(piece);
				number++;
				yield { number, text: Buffer.concat(pending).toString('utf8') };
				pending = [];
				pendingBytes = 0;
				start = newline + 1;
			}
			const rest = chunk.subarray(start);
			pendingBytes += rest.length;
			if (pendingBytes > maxLineBytes) throw tooLong(number + 1, maxLineBytes);
			if (rest.length > 0) pending.push(Buffer.from(rest));
		}
	} catch (e) {
		if (e instanceof TransferError) throw e;
		throw readError(path, e);
	} finally {
		source.destroy();
		file.destroy();
	}
	if (pendingBytes > 0) {
		number++;
		yield { number, text: Buffer.concat(pending).toString('utf8') };
	}
}

function tooLong(line: number, limit: number): TransferError {
	return new TransferError(`Line ${line} of the archive is longer than ${Math.round(limit / 1024 / 1024)} MiB: not an archive db:export wrote.`);
}

function readError(path: string, e: unknown): TransferError {
	const code = (e as NodeJS.ErrnoException).code;
	if (code === 'ENOENT') return new TransferError(`No file at ${path}.`);
	if (code === 'EISDIR') return new TransferError(`${path} is a directory, not an archive.`);
	if (code === 'Z_DATA_ERROR') return new TransferError(`${path} is not a gzip'd archive (${(e as Error).message}).`);
	if (code === 'Z_BUF_ERROR') return new TransferError(`${path} is truncated: the gzip stream ends early.`);
	return new TransferError(`Could not read ${path}: ${(e as Error).message}`);
}

/** Parses one line as a JSON object, naming the line when it is not one. */
export function parseLine(line: { number: number; text: string }): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(line.text);
	} catch {
		throw new TransferError(`Line ${line.number} of the archive is not JSON.`);
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TransferError(`Line ${line.number} of the archive is not a JSON object.`);
	return value as Record<string, unknown>;
}
