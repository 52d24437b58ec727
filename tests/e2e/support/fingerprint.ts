import Database from 'better-sqlite3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Direct, read-mostly access to the database of the server the end-to-end tests run against
 * (scripts/e2e-server.js: tests/.artifacts/e2e-<port>.db), for checks an HTTP client cannot make.
 */
export function e2eDatabasePath(): string {
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

/**
 * Accounts of the test's own, written straight into the server's database with the demo password's
 * hash (a copy of a demo account's), put in the January cohort where the role has a place in one.
 * Nothing else uses them, so a fingerprint of their rows is the test's alone. Staff accounts are
 * enrolled in MFA with a key of their own (`totpKey`), as staff must be; log in with logInClient.
 */
export function createOwnAccounts(prefix: string, roles: readonly string[]): { role: string; id: string; email: string; totpKey: Uint8Array | null }[] {
	const db = new Database(e2eDatabasePath(), { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		const demo = db.prepare(`SELECT organisation_id AS org, password_hash AS hash FROM user WHERE email = 'tutor@custodian.test'`).get() as { org: string; hash: string };
		const now = new Date().toISOString();
		const made = roles.map((role) => ({
			role,
			id: randomUUID(),
			email: `${prefix}-${role}-${randomUUID().slice(0, 8)}@custodian.test`,
			totpKey: role === 'learner' ? null : new Uint8Array(randomBytes(20))
		}));
		db.transaction(() => {
			for (const account of made) {
				db.prepare(
					`INSERT INTO user (id, organisation_id, email, display_name, password_hash, must_change_password, active, created_at, totp_key, mfa_enrolled_at)
					 VALUES (?, ?, ?, ?, ?, 0, 1, ?, ?, ?)`
				).run(
					account.id,
					demo.org,
					account.email,
					`${prefix} ${account.role}`,
					demo.hash,
					now,
					account.totpKey ? Buffer.from(account.totpKey).toString('hex') : null,
					account.totpKey ? now : null
				);
				db.prepare(`INSERT INTO user_role (user_id, role) VALUES (?, ?)`).run(account.id, account.role);
				if (account.role === 'learner' || account.role === 'assessor') {
					db.prepare(`INSERT INTO cohort_member (cohort_id, user_id, role, added_at) VALUES ('demo-cohort-january', ?, ?, ?)`).run(account.id, account.role, now);
				}
			}
		}).immediate();
		return made;
	} finally {
		db.close();
	}
}
