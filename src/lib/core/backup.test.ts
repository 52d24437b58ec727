import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbAll, openDatabase } from './database';
import { verifyAuditChain } from './audit';
import { createWorkspace } from './workspace';
import { fixedClock } from './testing';
import { seededIds } from './context';
import { recordCustomer } from './customers';
import { defineStandardPurposes } from './testing-records';
import { MARGARET } from './testing-people';
import { workspace } from './schema';

describe('backup and restore', () => {
	it('backs up a live database with npm run backup and the restored copy verifies every audit chain', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'custodian-backup-'));
		try {
			const path = join(dir, 'live.db');
			const db = openDatabase(path);
			const clock = fixedClock('2025-03-03T09:00:00.000Z');
			for (const n of [1, 2]) {
				const system = { db, actor: { id: 'admin', role: 'admin' }, clock: clock.now, ids: seededIds(`ws-${n}`) };
				const created = await createWorkspace(system, { organisationName: `Centre ${n}`, region: 'england-and-wales', policyMode: 'record', dpoName: 'D P O', dpoEmail: 'dpo@example.org' });
				if (!created.ok) throw new Error(created.error.message);
				const ctx = { ...system, workspaceId: created.value.id };
				await defineStandardPurposes(ctx);
				for (let i = 0; i < 5; i++) {
					const r = await recordCustomer(ctx, { purposeCodes: ['identity-checks', 'account-servicing'], fields: { ...MARGARET, familyName: `Okonkwo${'-Smith'.repeat(i)}` } });
					expect(r).toMatchObject({ ok: true });
				}
			}
			// The server keeps its connection open (and its WAL) while the backup runs.
			const backup = join(dir, 'backups', 'copy.db');
			const output = execFileSync(process.execPath, ['scripts/backup.js', backup], { env: { ...process.env, DATABASE_PATH: path }, encoding: 'utf8' });
			expect(output).toContain('integrity check: ok');
			// A backup holds everything the database does: its owner alone may read it.
			expect(statSync(backup).mode & 0o777).toBe(0o600);
			db.$client.close();

			const restored = openDatabase(backup);
			const workspaces = await dbAll(restored.select({ id: workspace.id }).from(workspace));
			expect(workspaces).toHaveLength(2);
			for (const w of workspaces) expect(await verifyAuditChain(restored, w.id)).toMatchObject({ ok: true });
			restored.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
