/**
 * The columns that hold secrets (README, "Secrets at rest"), and their re-encryption at start: every
 * value still in clear, or under a key in SECRETS_KEY_PREVIOUS, is encrypted again under SECRETS_KEY,
 * in batches, each in its own transaction. A value under a key neither setting holds stops the start,
 * naming the setting (as a mistyped JOBS_SCHEDULE does), rather than failing on a user's request later.
 *
 * A column added later that holds a secret belongs here, with its module sealing and opening it at
 * the same place (security/secrets.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { dbExec, dbQuery, writeTransaction, type Db } from '$lib/core/database';
import { totpKeyPlace } from '$lib/server/auth/mfa';
import { secretKeyPlace } from '$lib/server/badges/issuer';
import { privateJwkPlace } from '$lib/server/lti/keys';
import { lrsSecretPlace } from '$lib/server/xapi/settings';
import { openSecret, sealSecret, secretsKeyring, type SecretPlace } from './secrets';

type Env = Record<string, string | undefined>;
type RawRow = Record<string, unknown>;

export interface SecretColumn {
	table: string;
	column: string;
	/** The primary key's columns, in the order `place` reads them. */
	key: string[];
	place(row: RawRow): SecretPlace;
}

/** Every column that holds a secret, and where each value's place comes from. */
export const SECRET_COLUMNS: readonly SecretColumn[] = [
	{ table: 'lti_tool_key', column: 'private_jwk', key: ['kid'], place: (row) => privateJwkPlace(String(row.kid)) },
	// PostgreSQL gives a bigint back as text from raw SQL: the number is read as a number either way.
	{ table: 'badge_issuer_key', column: 'secret_key_multibase', key: ['organisation_id', 'number'], place: (row) => secretKeyPlace(String(row.organisation_id), Number(row.number)) },
	{ table: 'xapi_lrs', column: 'secret', key: ['organisation_id'], place: (row) => lrsSecretPlace(String(row.organisation_id)) },
	{ table: 'user', column: 'totp_key', key: ['id'], place: (row) => totpKeyPlace(String(row.id)) }
];

/** Rows re-encrypted per transaction: small enough that other writers wait only briefly. */
export const RESEAL_BATCH = 100;

function keyColumns(spec: SecretColumn): SQL {
	return sql.join(spec.key.map((k) => sql.identifier(k)), sql`, `);
}

/** Values of the column not yet under the current key (or, without one, any encrypted value), one batch. */
async function valuesToReseal(db: Db, spec: SecretColumn, currentKeyId: string | null, limit: number): Promise<RawRow[]> {
	const column = sql.identifier(spec.column);
	const pending = currentKeyId ? sql`${column} not like ${`enc:v1:${currentKeyId}:%`}` : sql`${column} like ${'enc:%'}`;
	return await dbQuery<RawRow>(db, sql`select ${keyColumns(spec)}, ${column} as "value" from ${sql.identifier(spec.table)} where ${column} is not null and ${pending} order by ${keyColumns(spec)} limit ${limit}`);
}

/**
 * Encrypts every secret under SECRETS_KEY that is not yet (in clear, or under a previous key);
 * returns how many values it re-encrypted, by table and column. Without SECRETS_KEY it changes
 * nothing, but still refuses a database holding values it could not read. Throws, naming the
 * setting, on a bad setting or a value under a key neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS holds.
 */
export async function resealSecrets(db: Db, { env = process.env, batch = RESEAL_BATCH }: { env?: Env; batch?: number } = {}): Promise<Record<string, number>> {
	const keyring = secretsKeyring(env);
	const counts: Record<string, number> = {};
	for (const spec of SECRET_COLUMNS) {
		let count = 0;
		if (!keyring) {
			// Nothing is encrypted without a key; a value that is stops the start here, not a user's request.
			for (const row of await valuesToReseal(db, spec, null, 1)) openSecret(String(row.value), spec.place(row), env);
		} else {
			for (;;) {
				const done = await writeTransaction(db, async () => {
					const rows = await valuesToReseal(db, spec, keyring.current.id, batch);
					for (const row of rows) {
						const place = spec.place(row);
						const stored = String(row.value);
						const sealed = sealSecret(openSecret(stored, place, env), place, env);
						const where = sql.join(spec.key.map((k) => sql`${sql.identifier(k)} = ${row[k]}`), sql` and `);
						// Only if nobody changed it meanwhile (another instance starting, a new key saved).
						count += await dbExec(db, sql`update ${sql.identifier(spec.table)} set ${sql.identifier(spec.column)} = ${sealed} where ${where} and ${sql.identifier(spec.column)} = ${stored}`);
					}
					return rows.length < batch;
				});
				if (done) break;
			}
		}
		counts[`${spec.table}.${spec.column}`] = count;
	}
	return counts;
}

/**
 * At start (hooks.server.ts init): checks SECRETS_KEY and SECRETS_KEY_PREVIOUS and re-encrypts what
 * needs it. A problem throws one line naming the setting, so the server does not start.
 */
export async function prepareSecrets(db: Db, env: Env = process.env): Promise<void> {
	const counts = await resealSecrets(db, { env });
	const total = Object.values(counts).reduce((a, b) => a + b, 0);
	if (total > 0) console.log(`Secrets at rest: ${total} value(s) encrypted under SECRETS_KEY (${Object.entries(counts).filter(([, n]) => n > 0).map(([c, n]) => `${c}: ${n}`).join(', ')})`);
}
