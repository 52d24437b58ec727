/**
 * Audit chain verification over 1,000,000 entries: entries per second recomputing every hash, with
 * the time merely to read the same rows (SELECT *, in seq order) as the baseline. Entries are
 * appended through the real appendAudit, in transactions of 10,000; the baseline for appending is
 * plain prepared inserts of the same rows into the same table (a second workspace's chain, hashes
 * not computed), a batch of each in turn, so both see the table at the same size. The same on
 * PostgreSQL (an embedded server of the run's own, BENCH_AUDIT_PG_ENTRIES entries), where the reading
 * baseline is the verifier's own paged selects. No timed assertions.
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../src/lib/core/audit';
import { seededIds, type CoreContext } from '../../src/lib/core/context';
import { closeDatabase, openDatabase, prepareDatabase, writeTransaction } from '../../src/lib/core/database';
import { postgresHandle } from '../../src/lib/core/postgres';
import { startEmbeddedPostgres } from '../../src/lib/core/testing-postgres';
import { createWorkspace } from '../../src/lib/core/workspace';
import { recordFigure } from './report';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const PG_ENTRIES = Number(process.env.BENCH_AUDIT_PG_ENTRIES ?? 200_000);
const BATCH = 10_000;
const DATABASE = 'tests/.artifacts/core-audit-bench.db';

describe('core audit benchmark', () => {
	it(`verifies a chain of ${ENTRIES.toLocaleString('en-GB')} entries`, async () => {
		for (const suffix of ['', '-wal', '-shm']) rmSync(DATABASE + suffix, { force: true });
		const db = openDatabase(DATABASE);
		let now = Date.parse('2025-03-03T09:00:00.000Z');
		const clock = () => new Date(now).toISOString();
		const ids = seededIds('core-audit-bench');
		const workspace = await createWorkspace(
			{ db, actor: { id: 'bench', role: 'system' }, clock, ids },
			{ organisationName: 'Bench Ltd', region: 'england-and-wales', policyMode: 'enforce', dpoName: 'D', dpoEmail: 'dpo@bench.example' }
		);
		if (!workspace.ok) throw new Error(workspace.error.message);
		const ctx: CoreContext = { db, workspaceId: workspace.value.id, actor: { id: 'agent-1', role: 'agent' }, clock, ids };
		const plainWorkspace = await createWorkspace(
			{ db, actor: { id: 'bench', role: 'system' }, clock, ids: seededIds('core-audit-bench-plain') },
			{ organisationName: 'Plain Ltd', region: 'england-and-wales', policyMode: 'enforce', dpoName: 'D', dpoEmail: 'dpo@plain.example' }
		);
		if (!plainWorkspace.ok) throw new Error(plainWorkspace.error.message);
		const plainIds = seededIds('core-audit-bench-plain-rows');
		const insert = db.$client.prepare(
			`insert into audit_entry (seq, id, workspace_id, at, actor_id, actor_role, action, subject_type, subject, fields, details, prev_hash, hash)
			 values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		);
		const insertBatch = db.$client.transaction((rows: unknown[][]) => {
			for (const row of rows) insert.run(...row);
		});
		/** The rows appendAudit stores for entries first..last, with placeholder hashes of the same length. */
		const plainRows = (first: number, last: number) => {
			const rows: unknown[][] = [];
			for (let i = first; i < last; i++) {
				const hash = (n: number) => n.toString(16).padStart(64, '0');
				rows.push([
					i + 1, plainIds(), plainWorkspace.value.id, new Date(now + (i - first + 1) * 1000).toISOString(), 'agent-1', 'agent',
					i % 3 === 0 ? 'customer.searched' : 'customer.viewed', 'customer', `customer-${i % 5000}`,
					'["givenName","familyName","postcode"]', `{"purposeCode":"account-servicing","resultCount":${i % 7}}`, hash(i), hash(i + 1)
				]);
			}
			return rows;
		};

		let appendSeconds = 0;
		let plainSeconds = 0;
		for (let done = 1; done < ENTRIES; done += BATCH) {
			const last = Math.min(done + BATCH, ENTRIES);
			const rows = plainRows(done, last);
			const plainStart = performance.now();
			insertBatch.immediate(rows);
			plainSeconds += (performance.now() - plainStart) / 1000;
			const appendStart = performance.now();
			await writeTransaction(db, async () => {
				for (let i = done; i < last; i++) {
					now += 1000;
					await appendAudit(ctx, {
						action: i % 3 === 0 ? 'customer.searched' : 'customer.viewed',
						subjectType: 'customer',
						subject: `customer-${i % 5000}`,
						fields: ['givenName', 'familyName', 'postcode'],
						details: { purposeCode: 'account-servicing', resultCount: i % 7 }
					});
				}
			});
			appendSeconds += (performance.now() - appendStart) / 1000;
		}
		recordFigure({
			id: 'audit-append.ratio',
			goal: { min: 0.5, of: 'ratio', text: '≥ 0.5 of plain inserts of the same rows (issue 19)' },
			name: `core: audit append through appendAudit, ${BATCH.toLocaleString('en-GB')} per transaction`,
			value: (ENTRIES - 1) / appendSeconds,
			unit: 'entries/s',
			baselineName: 'plain prepared inserts of the same rows, same table, same transactions',
			baseline: (ENTRIES - 1) / plainSeconds,
			notes: `append ${appendSeconds.toFixed(2)} s, plain inserts ${plainSeconds.toFixed(2)} s`
		});

		const all = db.$client.prepare('select * from audit_entry where workspace_id = ? order by seq');
		const read = () => {
			const start = performance.now();
			let rows = 0;
			for (const _row of all.iterate(ctx.workspaceId)) rows++;
			return { rows, seconds: (performance.now() - start) / 1000 };
		};
		const raw = db.$client.prepare('select * from audit_entry where workspace_id = ? order by seq').raw(true);
		const readRaw = () => {
			const start = performance.now();
			let rows = 0;
			for (const _row of raw.iterate(ctx.workspaceId)) rows++;
			return rows / ((performance.now() - start) / 1000);
		};
		read(); // warm the page cache, so both timings read from memory
		const baseline = read();
		expect(baseline.rows).toBe(ENTRIES);
		const rawRate = readRaw();

		const verifyStart = performance.now();
		const verification = await verifyAuditChain(db, ctx.workspaceId);
		const verifySeconds = (performance.now() - verifyStart) / 1000;
		expect(verification).toMatchObject({ ok: true, entries: ENTRIES });

		recordFigure({
			id: 'audit-verify.ratio',
			name: `core: audit chain verification over ${ENTRIES.toLocaleString('en-GB')} entries`,
			value: ENTRIES / verifySeconds,
			unit: 'entries/s',
			baselineName: 'reading the same rows (SELECT all, in seq order)',
			baseline: baseline.rows / baseline.seconds,
			goal: { min: 0.8, of: 'ratio', text: '≥ 0.8 of reading the same rows (issue 19)' },
			notes: `verify ${verifySeconds.toFixed(2)} s, read ${baseline.seconds.toFixed(2)} s; reading the rows as arrays (as the verifier does): ${Math.round(rawRate)} rows/s`
		});
		db.$client.close();
	});

	it(`verifies a chain of ${PG_ENTRIES.toLocaleString('en-GB')} entries on PostgreSQL`, async () => {
		const server = await startEmbeddedPostgres({ durable: true });
		const db = openDatabase(`${server.url}/postgres`);
		try {
			await prepareDatabase(db);
			const pool = postgresHandle(db)!.pool;
			let now = Date.parse('2025-03-03T09:00:00.000Z');
			const clock = () => new Date(now).toISOString();
			const ids = seededIds('core-audit-bench');
			const workspace = await createWorkspace(
				{ db, actor: { id: 'bench', role: 'system' }, clock, ids },
				{ organisationName: 'Bench Ltd', region: 'england-and-wales', policyMode: 'enforce', dpoName: 'D', dpoEmail: 'dpo@bench.example' }
			);
			if (!workspace.ok) throw new Error(workspace.error.message);
			const ctx: CoreContext = { db, workspaceId: workspace.value.id, actor: { id: 'agent-1', role: 'agent' }, clock, ids };
			const plainWorkspace = await createWorkspace(
				{ db, actor: { id: 'bench', role: 'system' }, clock, ids: seededIds('core-audit-bench-plain') },
				{ organisationName: 'Plain Ltd', region: 'england-and-wales', policyMode: 'enforce', dpoName: 'D', dpoEmail: 'dpo@plain.example' }
			);
			if (!plainWorkspace.ok) throw new Error(plainWorkspace.error.message);
			const plainIds = seededIds('core-audit-bench-plain-rows');
			const hash = (n: number) => n.toString(16).padStart(64, '0');

			let appendSeconds = 0;
			let plainSeconds = 0;
			for (let done = 1; done < PG_ENTRIES; done += BATCH) {
				const last = Math.min(done + BATCH, PG_ENTRIES);
				const rows: unknown[][] = [];
				for (let i = done; i < last; i++) {
					rows.push([
						i + 1, plainIds(), plainWorkspace.value.id, new Date(now + (i - done + 1) * 1000).toISOString(), 'agent-1', 'agent',
						i % 3 === 0 ? 'customer.searched' : 'customer.viewed', 'customer', `customer-${i % 5000}`,
						'["givenName","familyName","postcode"]', `{"purposeCode":"account-servicing","resultCount":${i % 7}}`, hash(i), hash(i + 1)
					]);
				}
				const plainStart = performance.now();
				const client = await pool.connect();
				try {
					await client.query('begin');
					for (const values of rows) {
						await client.query({
							name: 'bench-plain-audit-insert',
							text: `insert into audit_entry (seq, id, workspace_id, at, actor_id, actor_role, action, subject_type, subject, fields, details, prev_hash, hash)
								values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
							values
						});
					}
					await client.query('commit');
				} finally {
					client.release();
				}
				plainSeconds += (performance.now() - plainStart) / 1000;
				const appendStart = performance.now();
				await writeTransaction(db, async () => {
					for (let i = done; i < last; i++) {
						now += 1000;
						await appendAudit(ctx, {
							action: i % 3 === 0 ? 'customer.searched' : 'customer.viewed',
							subjectType: 'customer',
							subject: `customer-${i % 5000}`,
							fields: ['givenName', 'familyName', 'postcode'],
							details: { purposeCode: 'account-servicing', resultCount: i % 7 }
						});
					}
				});
				appendSeconds += (performance.now() - appendStart) / 1000;
			}
			recordFigure({
				id: 'audit-append.pg.ratio',
				goal: { min: 0.5, of: 'ratio', text: '≥ 0.5 of plain inserts of the same rows (issue 19)' },
				name: `core on PostgreSQL: audit append through appendAudit, ${BATCH.toLocaleString('en-GB')} per transaction`,
				value: (PG_ENTRIES - 1) / appendSeconds,
				unit: 'entries/s',
				baselineName: 'plain prepared inserts of the same rows (node-postgres), same table, same transactions',
				baseline: (PG_ENTRIES - 1) / plainSeconds,
				notes: `append ${appendSeconds.toFixed(2)} s, plain inserts ${plainSeconds.toFixed(2)} s`
			});

			// The verifier's own reading: keyset pages of 1,000 (a query's rows come all at once).
			const read = async () => {
				const start = performance.now();
				let rows = 0;
				let after = 0;
				for (;;) {
					const page = await pool.query({ text: 'select * from audit_entry where workspace_id = $1 and seq > $2 order by seq limit 1000', values: [ctx.workspaceId, after], rowMode: 'array' });
					rows += page.rows.length;
					if (page.rows.length < 1000) break;
					after = Number((page.rows.at(-1) as unknown[])[2]);
				}
				return { rows, seconds: (performance.now() - start) / 1000 };
			};
			await read(); // warm the buffer cache
			const baseline = await read();
			expect(baseline.rows).toBe(PG_ENTRIES);

			const verifyStart = performance.now();
			const verification = await verifyAuditChain(db, ctx.workspaceId);
			const verifySeconds = (performance.now() - verifyStart) / 1000;
			expect(verification).toMatchObject({ ok: true, entries: PG_ENTRIES });
			recordFigure({
				id: 'audit-verify.pg.ratio',
				goal: { min: 0.8, of: 'ratio', text: '≥ 0.8 of reading the same rows (issue 19)' },
				name: `core on PostgreSQL: audit chain verification over ${PG_ENTRIES.toLocaleString('en-GB')} entries`,
				value: PG_ENTRIES / verifySeconds,
				unit: 'entries/s',
				baselineName: 'reading the same rows (SELECT *, in seq order, keyset pages of 1,000)',
				baseline: baseline.rows / baseline.seconds,
				notes: `verify ${verifySeconds.toFixed(2)} s, read ${baseline.seconds.toFixed(2)} s`
			});
		} finally {
			await closeDatabase(db);
			await server.stop().catch(() => {});
		}
	});
});
