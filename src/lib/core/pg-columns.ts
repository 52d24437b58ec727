/**
 * Column types the PostgreSQL schema needs beyond drizzle pg-core's own (docs/postgresql.md).
 *
 * jsonText: JSON kept as the exact text written, as SQLite's `text(…, { mode: 'json' })` keeps it.
 * Not jsonb: jsonb reorders object keys, drops duplicate keys and rewrites numbers, so text hashed
 * or signed on one engine would not come back byte for byte on the other (a transfer between engines
 * compares hashes). The values read and written are the same JavaScript values on both engines.
 */
import { customType } from 'drizzle-orm/pg-core';

export const jsonText = customType<{ data: unknown; driverData: string }>({
	dataType: () => 'text',
	toDriver: (value) => JSON.stringify(value),
	fromDriver: (value) => JSON.parse(value) as unknown
});

/** Bytes: what a SQLite blob holds, as a Buffer both ways. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
	dataType: () => 'bytea'
});
