import { mapInOrder } from '$lib/core/in-order';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { dbGet, dbRun, dbAll, openDatabase, type Db } from '$lib/core/database';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { organisation, scenarioVersion, session, user } from '$lib/server/db/schema';
import { attempt } from '$lib/sim/schema';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSecret } from '$lib/server/security/secrets';
import { totpKeyPlace } from '$lib/server/auth/mfa';
import { getTableConfig, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { catalogueOf, loadCatalogue } from './catalogue';
import { centreRows, unplacedTables } from './centre-scope';
import { exportCommand, importCommand } from './cli';
import { sqliteSource } from './sqlite-source';
import { exportArchive } from './export';
import { importArchive } from './import';
import { archiveLines } from './archive';
import { seedCentres, SECOND_CENTRE, type SeededCentres, transferRefusal } from './testing';

const dir = mkdtempSync(join(tmpdir(), 'custodian-transfer-'));
let source: Db;
let ids: SeededCentres;

beforeAll(async () => {
	source = openDatabase(join(dir, 'source.db'));
	ids = await seedCentres(source);
}, 60_000);

afterAll(() => {
	source?.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const fresh = (name: string) => join(dir, `${name}-${++files}`);
const freshDb = () => openDatabase(fresh('target.db'));

/** The archive's lines after the header, as text. */
function rowLines(path: string): string[] {
	return gunzipSync(readFileSync(path)).toString('utf8').trimEnd().split('\n').slice(1);
}

function rewrite(path: string, change: (lines: string[]) => string[]): string {
	const lines = gunzipSync(readFileSync(path)).toString('utf8').trimEnd().split('\n');
	const out = fresh('tampered.ndjson.gz');
	writeFileSync(out, gzipSync(change(lines).join('\n') + '\n'));
	return out;
}

/** Every row of every table, for "unchanged" checks. */
async function contents(db: Db): Promise<string> {
	const catalogue = await loadCatalogue();
	return JSON.stringify(await mapInOrder(catalogue.tables, async (t) => [t.name, await dbAll(db.select().from(t.table))]));
}

describe('moving a centre between databases', () => {
	it('exports a centre, imports it into a fresh database with every chain and signature verified, and exports it again byte for byte', async () => {
		const archive = fresh('centre.ndjson.gz');
		const header = await exportArchive(source, archive, { centre: 'Northgate Skills Centre' });
		expect(header.scope).toEqual({ kind: 'centre', organisationId: DEMO_ORGANISATION_ID, name: 'Northgate Skills Centre' });
		const rows = Object.fromEntries(header.tables.map((t) => [t.name, t.rows]));
		expect(rows).toMatchObject({ organisation: 1, assessment_decision: 2, decision_countersignature: 1, workplace_decision: 1, iqa_sample_round: 1, workplace_evidence: 1 });
		expect(rows.attempt).toBe(rows.workspace);
		expect(rows.audit_entry).toBeGreaterThan(0);
		expect(rows).toMatchObject({ centre_scenario: 1, scenario_preview: 1 });
		expect(header.tables.map((t) => t.name)).not.toContain('session');

		const target = freshDb();
		const summary = await importArchive(target, archive);
		expect(summary.chains).toBe(rows.workspace);
		expect(summary.signatures).toBe(2 + 1 + 1 + 1);
		expect(summary.tables.find((t) => t.name === 'audit_entry')).toEqual({ name: 'audit_entry', inserted: rows.audit_entry, present: 0 });

		const again = fresh('again.ndjson.gz');
		const second = await exportArchive(target, again, { centre: DEMO_ORGANISATION_ID });
		expect(second.tables).toEqual(header.tables);
		expect(rowLines(again)).toEqual(rowLines(archive));
		target.$client.close();
	});

	it('carries no row of a second centre in the first centre’s export, and the whole installation carries both', async () => {
		const archive = fresh('centre.ndjson.gz');
		await exportArchive(source, archive, { centre: DEMO_ORGANISATION_ID });
		const text = rowLines(archive).join('\n');
		expect(text).not.toContain(SECOND_CENTRE);
		expect(text).not.toContain('riverside');
		expect(text).not.toContain(ids.riversideAttempt);
		expect(text).not.toContain('session-hash');
		expect(text).toContain(ids.preview);

		const riverside = fresh('riverside.ndjson.gz');
		const header = await exportArchive(source, riverside, { centre: 'Riverside College' });
		const riversideText = rowLines(riverside).join('\n');
		expect(riversideText).not.toContain(DEMO_ORGANISATION_ID);
		expect(riversideText).not.toContain('northgate-welcome');
		expect(riversideText).not.toContain(ids.amira);
		expect(Object.fromEntries(header.tables.map((t) => [t.name, t.rows]))).toMatchObject({ organisation: 1, user: 1, attempt: 1, security_event: 1, workplace_evidence: 1 });
		// The built-in scenario version its attempt was played on travels with it.
		expect(header.tables.find((t) => t.name === 'scenario_version')!.rows).toBeGreaterThan(0);

		const whole = fresh('whole.ndjson.gz');
		const all = await exportArchive(source, whole);
		expect(all.scope).toEqual({ kind: 'installation' });
		const target = freshDb();
		await importArchive(target, whole);
		expect((await dbAll(target.select().from(organisation))).map((o) => o.id).sort()).toEqual([DEMO_ORGANISATION_ID, SECOND_CENTRE]);
		expect(await dbAll(target.select().from(session))).toEqual([]);
		const again = fresh('whole-again.ndjson.gz');
		await exportArchive(target, again);
		expect(rowLines(again)).toEqual(rowLines(whole));
		target.$client.close();
	});

	it('imports two centres into one database, and skips an archive imported a second time', async () => {
		const first = fresh('a.ndjson.gz');
		const second = fresh('b.ndjson.gz');
		await exportArchive(source, first, { centre: DEMO_ORGANISATION_ID });
		await exportArchive(source, second, { centre: SECOND_CENTRE });
		const target = freshDb();
		await importArchive(target, first);
		const riverside = await importArchive(target, second);
		// Shared built-in scenario versions were already there, identical.
		expect(riverside.tables.find((t) => t.name === 'scenario_version')!.present).toBeGreaterThan(0);
		const before = await contents(target);
		const again = await importArchive(target, first);
		expect(again.tables.every((t) => t.inserted === 0)).toBe(true);
		expect(again.chains).toBeGreaterThan(0);
		expect(await contents(target)).toBe(before);
		target.$client.close();
	});
});

describe('built-in scenario versions, which every installation records for itself', () => {
	it('finds them present in an installation that recorded them at another time, and leaves its choice of current version', async () => {
		const archive = fresh('centre.ndjson.gz');
		await exportArchive(source, archive, { centre: DEMO_ORGANISATION_ID });
		const target = freshDb();
		await syncBuiltInScenarios(target, undefined, new Date('2030-01-01T00:00:00Z'));
		const builtIn = async () => await dbAll(target.select().from(scenarioVersion).where(eq(scenarioVersion.origin, 'built-in')));
		const before = await builtIn();
		const summary = await importArchive(target, archive);
		// The centre's own scenario is new here; the built-in versions its attempts were played on are not.
		expect(summary.tables.find((t) => t.name === 'scenario_version')).toMatchObject({ inserted: 1, present: expect.any(Number) });
		expect(summary.tables.find((t) => t.name === 'scenario_version')!.present).toBeGreaterThan(0);
		expect(await builtIn()).toEqual(before);
		target.$client.close();
	});

	it('adds a version the installation lacks as not current when it records its own versions of that scenario', async () => {
		const archive = fresh('centre.ndjson.gz');
		await exportArchive(source, archive, { centre: DEMO_ORGANISATION_ID });
		const played = (await dbGet(source.select().from(scenarioVersion).where(eq(scenarioVersion.scenarioId, 'spouse-caller'))))!;
		const target = freshDb();
		await dbRun(target.insert(scenarioVersion).values({ ...played, id: 'spouse-caller@0.0.1+000000000000', version: '0.0.1+000000000000', current: true }));
		await importArchive(target, archive);
		expect((await dbAll(target.select({ id: scenarioVersion.id, current: scenarioVersion.current }).from(scenarioVersion).where(eq(scenarioVersion.scenarioId, 'spouse-caller')))).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
			{ id: 'spouse-caller@0.0.1+000000000000', current: true },
			{ id: played.id, current: false }
		]);
		target.$client.close();
	});
});

describe('refusing an archive', () => {
	let archive: string;
	beforeAll(async () => {
		archive = fresh('centre.ndjson.gz');
		await exportArchive(source, archive, { centre: DEMO_ORGANISATION_ID });
	});

	/** Imports into a database that already holds the second centre, and checks it is left as it was. */
	async function refusedLeavingTargetUnchanged(path: string): Promise<string> {
		const riverside = fresh('riverside.ndjson.gz');
		await exportArchive(source, riverside, { centre: SECOND_CENTRE });
		const target = freshDb();
		await importArchive(target, riverside);
		const before = await contents(target);
		const message = await transferRefusal(importArchive(target, path));
		expect(await contents(target)).toBe(before);
		target.$client.close();
		return message;
	}

	it('refuses a decision whose feedback was changed, naming it', async () => {
		const tampered = rewrite(archive, (lines) =>
			lines.map((line) => (line.includes(`"table":"assessment_decision"`) && line.includes(ids.decision!) ? line.replace('A careful, lawful call.', 'A careless call.') : line))
		);
		const message = await refusedLeavingTargetUnchanged(tampered);
		expect(message).toContain(`assessment_decision ${ids.decision}: the decision does not match its signature`);
	});

	it('refuses an audit entry whose details were changed', async () => {
		let changed = false;
		const tampered = rewrite(archive, (lines) =>
			lines.map((line) => {
				if (changed || !line.startsWith('{"table":"audit_entry"')) return line;
				const parsed = JSON.parse(line) as { row: { details: string } };
				const details = JSON.parse(parsed.row.details) as Record<string, unknown>;
				parsed.row.details = JSON.stringify({ ...details, tampered: true });
				changed = true;
				return JSON.stringify(parsed);
			})
		);
		expect(await refusedLeavingTargetUnchanged(tampered)).toMatch(/workspace \S+: audit chain broken at entry \d+/);
	});

	it.each([
		['workplace_decision', 'feedback', 'Unclear.', /workplace_decision \S+: the decision does not match its signature/],
		['decision_countersignature', 'comment', 'Looked at it twice.', /decision_countersignature \S+: does not match its signature/],
		['iqa_sample_round', 'feedback', 'Unsound.', /iqa_sample_round \S+: does not match its signature/],
		['iqa_sample_snapshot', 'snapshot', { outcome: 'not-yet-met' }, /iqa_sample_round \S+: the snapshot it judged does not match its hash/]
	] as const)('refuses an archive whose %s.%s was changed', async (table, column, value, expected) => {
		const tampered = rewrite(archive, (lines) =>
			lines.map((line) => {
				if (!line.startsWith(`{"table":"${table}"`)) return line;
				const parsed = JSON.parse(line) as { row: Record<string, unknown> };
				parsed.row[column] = typeof value === 'string' ? value : { ...(parsed.row[column] as object), ...value };
				return JSON.stringify(parsed);
			})
		);
		expect(await refusedLeavingTargetUnchanged(tampered)).toMatch(expected);
	});

	it('refuses an archive with a row dropped, by the header’s count and, with the count altered too, by the chain', async () => {
		const audit = rowLines(archive).filter((l) => l.startsWith('{"table":"audit_entry"'));
		const dropped = audit.find((l) => (JSON.parse(l) as { row: { seq: number } }).row.seq === 2)!;
		const withoutRow = rewrite(archive, (lines) => lines.filter((l) => l !== dropped));
		expect(await refusedLeavingTargetUnchanged(withoutRow)).toContain('header says audit_entry has');

		const countAltered = rewrite(archive, (lines) => {
			const header = JSON.parse(lines[0]!) as { tables: { name: string; rows: number }[] };
			header.tables.find((t) => t.name === 'audit_entry')!.rows--;
			return [JSON.stringify(header), ...lines.slice(1).filter((l) => l !== dropped)];
		});
		expect(await refusedLeavingTargetUnchanged(countAltered)).toMatch(/audit chain broken at entry 2: entry 2 is missing/);
	});

	it('refuses a row that the database holds with other content, naming table and key', async () => {
		const target = freshDb();
		await importArchive(target, archive);
		await dbRun(target.update(user).set({ displayName: 'Amira K.' }).where(eq(user.id, ids.amira!)));
		const before = await contents(target);
		expect(await transferRefusal(importArchive(target, archive))).toContain(`the database already holds user id="${ids.amira}" with different content`);
		expect(await contents(target)).toBe(before);
		target.$client.close();
	});

	it('refuses an archive from a newer schema, and one from an older', async () => {
		const newer = rewrite(archive, (lines) => [lines[0]!.replace(/"schema":"[^"]+"/, '"schema":"9999_future"'), ...lines.slice(1)]);
		expect(await refusedLeavingTargetUnchanged(newer)).toMatch(/written by a newer Custodian \(schema 9999_future\); this one is at \d{4}_\w+\. Upgrade/);
		const older = rewrite(archive, (lines) => [lines[0]!.replace(/"schema":"[^"]+"/, '"schema":"0001_core_schema"'), ...lines.slice(1)]);
		expect(await refusedLeavingTargetUnchanged(older)).toContain('written by an older Custodian');
	});

	it('refuses hostile files with a clear message: not gzip, truncated, not JSON, a wrong type', async () => {
		const plain = fresh('plain.ndjson');
		writeFileSync(plain, readFileSync(archive).length > 0 ? gunzipSync(readFileSync(archive)) : '');
		expect(await refusedLeavingTargetUnchanged(plain)).toContain('is not a gzip');

		const truncated = fresh('truncated.gz');
		const whole = readFileSync(archive);
		writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
		expect(await refusedLeavingTargetUnchanged(truncated)).toMatch(/truncated/);

		const notJson = rewrite(archive, (lines) => [lines[0]!, '{"table": "organisation", "row": ', ...lines.slice(1)]);
		expect(await refusedLeavingTargetUnchanged(notJson)).toBe('Line 2 of the archive is not JSON.');

		const wrongType = rewrite(archive, (lines) => lines.map((l) => (l.startsWith('{"table":"organisation"') ? l.replace('"require_mfa_for_learners":false', '"require_mfa_for_learners":"no"') : l)));
		expect(await refusedLeavingTargetUnchanged(wrongType)).toContain('column require_mfa_for_learners should hold boolean');

		expect(await refusedLeavingTargetUnchanged(join(dir, 'missing.gz'))).toContain('No file at');
	});

	it('refuses a 2 GB line without reading it into memory', async () => {
		// Gzip members may be concatenated: one 16 MiB member of "a" written 128 times is a 2 GiB line.
		const member = gzipSync(Buffer.alloc(16 * 1024 * 1024, 'a'));
		const huge = fresh('huge.gz');
		const head = gzipSync(readFileSync(archive).length > 0 ? gunzipSync(readFileSync(archive)).toString('utf8').split('\n')[0] + '\n' : '');
		writeFileSync(huge, Buffer.concat([head, ...Array.from({ length: 128 }, () => member)]));
		const before = process.memoryUsage().rss;
		expect(await refusedLeavingTargetUnchanged(huge)).toBe('Line 2 of the archive is longer than 64 MiB: not an archive db:export wrote.');
		expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
	});

	it('reads lines of any length up to the limit, split across gzip chunks', async () => {
		const lines: string[] = [];
		for await (const line of archiveLines(archive)) lines.push(line.text);
		expect(lines.slice(1)).toEqual(rowLines(archive));
	});
});

describe('finding the centre', () => {
	it('refuses a centre that does not exist, and a name two centres share', async () => {
		expect(await transferRefusal(exportArchive(source, fresh('x.gz'), { centre: 'Nowhere College' }))).toBe('No centre has the id or the name "Nowhere College".');
		const twins = freshDb();
		for (const id of ['north-1', 'north-2']) await dbRun(twins.insert(organisation).values({ id, name: 'North College', updatedAt: '2026-01-01T00:00:00.000Z' }));
		expect(await transferRefusal(exportArchive(twins, fresh('x.gz'), { centre: 'North College' }))).toBe('2 centres are named "North College": give the organisation id instead (north-1, north-2).');
		await exportArchive(twins, fresh('x.gz'), { centre: 'north-2' });
		twins.$client.close();
	});

	it('carries each attempt’s workspace, found through the attempt, with the records in it', async () => {
		const archive = fresh('centre.ndjson.gz');
		await exportArchive(source, archive, { centre: DEMO_ORGANISATION_ID });
		const rowsOf = (table: string) => rowLines(archive).filter((l) => l.startsWith(`{"table":"${table}"`)).map((l) => (JSON.parse(l) as { row: Record<string, unknown> }).row);
		const demoWorkspaces = (await dbAll(source
			.select({ w: attempt.workspaceId, owner: attempt.ownerId })
			.from(attempt)))
			.filter((a) => a.owner !== 'riverside-learner')
			.map((a) => a.w);
		expect(rowsOf('workspace').map((w) => w.id).sort()).toEqual(demoWorkspaces.sort());
		expect(new Set(rowsOf('audit_entry').map((e) => e.workspace_id))).toEqual(new Set(demoWorkspaces));
		expect(rowsOf('customer').length).toBeGreaterThan(0);
	});
});

describe('the schema as db:export sees it', () => {
	it('knows every table the migrations create: carried, or named as never carried', async () => {
		const catalogue = await loadCatalogue();
		const created = (source.$client.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'`).all() as { name: string }[])
			.map((t) => t.name)
			// FTS5's shadow tables belong to the search index its triggers keep (customer_name_search).
			.filter((name) => !/^customer_name_search_/.test(name));
		expect([...catalogue.tables.map((t) => t.name), ...catalogue.transient].sort()).toEqual(created.sort());
		expect(catalogue.transient).toEqual(['job_lease', 'login_throttle', 'lti_handoff', 'lti_login_state', 'lti_registration_link', 'lti_tool_key', 'password_reset', 'record_disposal_permit', 'render_slot', 'session', 'xapi_lrs']);
		// Parents first: every foreign key names a table earlier in the order.
		const position = new Map(catalogue.tables.map((t, i) => [t.name, i]));
		for (const t of catalogue.tables) for (const fk of t.foreignKeys) if (fk.parent !== t.name) expect(position.get(fk.parent)).toBeLessThan(position.get(t.name)!);
	});

	it('places a table added later through its foreign key, and refuses a centre export while a table cannot be placed', async () => {
		const catalogue = await loadCatalogue();
		const badge = sqliteTable('centre_badge', { id: text('id').primaryKey(), userId: text('user_id').notNull().references(() => user.id) });
		const lease = sqliteTable('print_queue', { name: text('name').primaryKey(), holder: text('holder') });
		const grown = catalogueOf([...catalogue.tables.map((t) => t.table), badge, lease]);
		expect(grown.byName.get('centre_badge')!.foreignKeys).toEqual([{ columns: ['user_id'], parent: 'user', parentColumns: ['id'] }]);
		expect(unplacedTables(grown)).toEqual(['print_queue']);
		await expect(centreRows(sqliteSource(source), grown, DEMO_ORGANISATION_ID)).rejects.toThrow(/does not know which centre the rows of print_queue belong to/);
		expect(getTableConfig(lease).name).toBe('print_queue');
	});
});

describe('a table the schema does not declare', () => {
	it('stops an export rather than leave its rows behind', async () => {
		const db = freshDb();
		db.run(sql`CREATE TABLE hand_made (id TEXT PRIMARY KEY)`);
		const out = fresh('x.gz');
		expect(await transferRefusal(exportArchive(db, out))).toBe('The database holds hand_made, which the drizzle schema (drizzle.config.ts) does not declare: db:export would leave its rows behind, so it stops.');
		expect(existsSync(out)).toBe(false);
		db.$client.close();
	});
});

describe('the commands', () => {
	const io = (env: Record<string, string>) => {
		const out: string[] = [];
		const err: string[] = [];
		return { out, err, io: { env, out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
	};

	it('prints counts per table and the verification, and a refusal as one line without a stack trace', async () => {
		const sourceFile = join(dir, 'source.db');
		const archive = fresh('cli.ndjson.gz');
		const exported = io({ DATABASE_PATH: sourceFile });
		expect(await exportCommand(['--out', archive, '--centre', DEMO_ORGANISATION_ID], exported.io)).toBe(0);
		expect(exported.out[0]).toBe(`Exported centre Northgate Skills Centre (demo-centre) from ${sourceFile} to ${archive}, schema ${JSON.parse(gunzipSync(readFileSync(archive)).toString().split('\n')[0]!).schema}:`);
		expect(exported.out).toContain('  organisation: 1');

		const target = fresh('cli-target.db');
		const imported = io({ DATABASE_PATH: target });
		expect(await importCommand(['--in', archive], imported.io)).toBe(0);
		expect(imported.out).toContain('  organisation: 1 inserted');
		expect(imported.out.at(-1)).toMatch(/^\d+ audit chains verified, 5 signatures verified\.$/);

		const bad = fresh('bad.gz');
		writeFileSync(bad, 'not an archive');
		const refused = io({ DATABASE_PATH: target });
		expect(await importCommand(['--in', bad], refused.io)).toBe(1);
		expect(refused.err).toEqual([`${bad} is not a gzip'd archive (incorrect header check).`]);

		const usage = io({ DATABASE_PATH: target });
		expect(await importCommand(['--file', bad], usage.io)).toBe(2);
		expect(usage.err[0]).toMatch(/^Usage: npm run db:import -- --in FILE/);
	});

	it('puts no secret in clear into an archive while SECRETS_KEY is set, and the imported centre reads them with that key', async () => {
		const sourceFile = join(dir, 'source.db');
		const secretsKey = randomBytes(32).toString('base64');
		const inClear = (await dbAll(source.select({ id: user.id, totpKey: user.totpKey }).from(user).where(eq(user.organisationId, DEMO_ORGANISATION_ID)))).filter((u) => u.totpKey !== null);
		expect(inClear.length).toBeGreaterThan(0);

		// Without the key, the archive carries them as the database does, and says so.
		const plain = io({ DATABASE_PATH: sourceFile });
		expect(await exportCommand(['--out', fresh('plain.ndjson.gz'), '--centre', DEMO_ORGANISATION_ID], plain.io)).toBe(0);
		expect(plain.err).toEqual([expect.stringMatching(/^Warning: SECRETS_KEY is not set, so the archive holds secrets in clear \(.*user\.totp_key: \d+/)]);

		const archive = fresh('sealed.ndjson.gz');
		const sealed = io({ DATABASE_PATH: sourceFile, SECRETS_KEY: secretsKey });
		expect(await exportCommand(['--out', archive, '--centre', DEMO_ORGANISATION_ID], sealed.io)).toBe(0);
		expect(sealed.err).toEqual([]);
		const text = gunzipSync(readFileSync(archive)).toString('utf8');
		for (const u of inClear) expect(text).not.toContain(u.totpKey!);
		const users = rowLines(archive).map((l) => JSON.parse(l) as { table: string; row: Record<string, unknown> }).filter((l) => l.table === 'user' && l.row.totp_key !== null);
		expect(users).toHaveLength(inClear.length);
		for (const u of users) expect(u.row.totp_key).toMatch(/^enc:v1:/);

		const target = freshDb();
		await importArchive(target, archive);
		const staff = inClear[0]!;
		const stored = (await dbGet(target.select({ totpKey: user.totpKey }).from(user).where(eq(user.id, staff.id))))!.totpKey!;
		expect(openSecret(stored, totpKeyPlace(staff.id), { SECRETS_KEY: secretsKey })).toBe(staff.totpKey);
		target.$client.close();
	});

	it('runs as an npm script through tsx', () => {
		const bad = fresh('bad.gz');
		writeFileSync(bad, 'not an archive');
		const run = spawnSync('npx', ['tsx', 'scripts/db-import.ts', '--in', bad], { env: { ...process.env, DATABASE_PATH: fresh('tsx-target.db') }, encoding: 'utf8' });
		expect(run.status).toBe(1);
		expect(run.stderr.trim()).toBe(`${bad} is not a gzip'd archive (incorrect header check).`);
	}, 30_000);
});
