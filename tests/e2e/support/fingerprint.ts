import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Direct, read-mostly access to the database of the server the end-to-end tests run against
 * (scripts/e2e-server.js: tests/.artifacts/e2e-<port>.db), for checks an HTTP client cannot make.
 */
export function e2eDatabasePath(): string {
	// A server run with E2E_POSTGRES=1 (scripts/e2e-server.js) left its PostgreSQL address here.
	const url = `tests/.artifacts/e2e-${process.env.E2E_PORT}.pgurl`;
	if (existsSync(url)) return readFileSync(url, 'utf8').trim();
	return `tests/.artifacts/e2e-${process.env.E2E_PORT}.db`;
}

/**
 * Tables whose rows change on every request or log-in, whatever the request asked. The security log
 * is one of them: a refused request is exactly what it records (a wrong current password, a 403).
 */
const VOLATILE = new Set(['session', 'login_throttle', 'security_event', '__drizzle_migrations']);

/**
 * A digest of every row, in every table, that mentions one of `ids` (a user id, a workspace id…) in
 * any text column. Two digests differ iff something about those users or workspaces was stored,
 * changed or removed in between — whatever table it went to, including tables added later.
 */
export function fingerprint(db: Database.Database, ids: readonly string[]): string {
	const tables = db
		.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`)
		.all() as { name: string }[];
	const hash = createHash('sha256');
	const marks = ids.map(() => '?').join(', ');
	for (const { name } of tables) {
		if (VOLATILE.has(name) || /_(data|idx|content|docsize|config)$/.test(name)) continue;
		const columns = (db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(name) as { name: string; type: string }[])
			.filter((c) => c.type.toUpperCase() === 'TEXT')
			.map((c) => `"${c.name}"`);
		if (columns.length === 0) continue;
		const where = columns.map((c) => `${c} IN (${marks})`).join(' OR ');
		const rows = db.prepare(`SELECT * FROM "${name}" WHERE ${where} ORDER BY rowid`).raw().all(...columns.flatMap(() => ids));
		hash.update(`${name}:${JSON.stringify(rows)}\n`);
	}
	return hash.digest('hex');
}
