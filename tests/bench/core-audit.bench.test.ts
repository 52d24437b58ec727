/**
 * Audit chain verification over 1,000,000 entries: entries per second recomputing every hash, with
 * the time merely to read the same rows (the verifier's own SELECT, in seq order) as the baseline.
 * Entries are appended through the real appendAudit, in bulk transactions. No timed assertions.
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../src/lib/core/audit';
import { seededIds, type CoreContext } from '../../src/lib/core/context';
import { openDatabase, writeTransaction } from '../../src/lib/core/database';
import { createWorkspace } from '../../src/lib/core/workspace';
import { recordFigure } from './report';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
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

		const appendStart = performance.now();
		for (let done = 1; done < ENTRIES; done += BATCH) {
			await writeTransaction(db, async () => {
				for (let i = done; i < Math.min(done + BATCH, ENTRIES); i++) {
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
		}
		const appendSeconds = (performance.now() - appendStart) / 1000;
		recordFigure({ id: 'audit-append.ratio', goal: { min: 0.5, of: 'ratio', text: '≥ 0.5 of plain inserts of the same rows (issue 19)' }, name: `core: audit append through appendAudit, ${BATCH.toLocaleString('en-GB')} per transaction`, value: ENTRIES / appendSeconds, unit: 'entries/s' });

		const all = db.$client.prepare('select * from audit_entry where workspace_id = ? order by seq');
		const read = () => {
			const start = performance.now();
			let rows = 0;
			for (const _row of all.iterate(ctx.workspaceId)) rows++;
			return { rows, seconds: (performance.now() - start) / 1000 };
		};
		read(); // warm the page cache, so both timings read from memory
		const baseline = read();
		expect(baseline.rows).toBe(ENTRIES);

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
			notes: `verify ${verifySeconds.toFixed(2)} s, read ${baseline.seconds.toFixed(2)} s`
		});
		db.$client.close();
	});
});
