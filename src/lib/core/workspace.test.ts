import { describe, expect, it } from 'vitest';
import { seededIds } from './context';
import { writeTransaction } from './database';
import { closeTestDatabase, openTestDatabase } from './testing-database';
import { auditEntries, verifyAuditChain } from './audit';
import { applyPolicy, findings } from './policy';
import { changeWorkspaceSettings, createWorkspace, getWorkspace } from './workspace';
import { closeTestContextsAfterEach, createTestContext, fixedClock, type TestContext } from './testing';

closeTestContextsAfterEach();
async function setUp(options?: Parameters<typeof createTestContext>[0]): Promise<TestContext> {
	const t = await createTestContext(options);
	return t;
}

const minimisation = {
	code: 'minimisation.no-purpose',
	rule: 'UK GDPR Art 5(1)(c)',
	message: 'No purpose needs the field shoeSize',
	field: 'shoeSize',
	subjectType: 'customer' as const,
	subject: 'customer-1',
	fields: ['shoeSize']
};

describe('workspace', () => {
	it('creates a workspace and audits it without the DPO’s contact details', async () => {
		const t = await setUp({ workspace: { region: 'scotland', policyMode: 'enforce' } });
		expect(await getWorkspace(t.ctx.db, t.ctx.workspaceId)).toMatchObject({
			ok: true,
			value: { region: 'scotland', policyMode: 'enforce', settings: { recognisedLegitimateInterests: false } }
		});
		const [created] = await auditEntries(t.ctx.db, t.ctx.workspaceId);
		expect(created).toMatchObject({ action: 'workspace.created', details: { region: 'scotland', policyMode: 'enforce' } });
		expect(JSON.stringify(created)).not.toContain('dpo@');
	});

	it('refuses a workspace with an unknown region, naming the field', async () => {
		const db = await openTestDatabase();
		const result = await createWorkspace(
			{ db, actor: { id: 'admin', role: 'admin' }, clock: fixedClock('2025-01-01T00:00:00Z').now, ids: seededIds(1) },
			{ organisationName: 'X', region: 'wales' as never, policyMode: 'record', dpoName: 'D', dpoEmail: 'd@x.example' }
		);
		expect(result).toMatchObject({ ok: false, error: { code: 'invalid', field: 'region' } });
		closeTestDatabase(db);
	});

	it('changes the policy mode and audits what changed', async () => {
		const t = await setUp();
		const changed = await changeWorkspaceSettings(t.ctx, { policyMode: 'enforce' });
		expect(changed).toMatchObject({ ok: true, value: { policyMode: 'enforce', version: 2, region: 'england-and-wales' } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'workspace.settings.changed',
			details: { changed: ['policyMode'], policyMode: 'enforce' }
		});
	});

	it('gives the same ids and audit chain when replayed with the same seed and clock', async () => {
		const a = await setUp({ seed: 7 });
		const b = await setUp({ seed: 7 });
		expect(a.ctx.workspaceId).toBe(b.ctx.workspaceId);
		expect(await verifyAuditChain(a.ctx.db, a.ctx.workspaceId)).toEqual(await verifyAuditChain(b.ctx.db, b.ctx.workspaceId));
	});
});

describe('policy', () => {
	it('refuses a forbidden act in enforce mode with a typed error, and audits the refusal', async () => {
		const t = await setUp({ workspace: { policyMode: 'enforce' } });
		const decision = await writeTransaction(t.ctx.db, async () => await applyPolicy(t.ctx, minimisation));
		expect(decision).toEqual({ ok: false, error: { code: 'minimisation.no-purpose', field: 'shoeSize', message: minimisation.message } });
		expect(await findings(t.ctx)).toEqual([]);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'policy.refused',
			subject: 'customer-1',
			fields: ['shoeSize'],
			details: { code: 'minimisation.no-purpose', rule: 'UK GDPR Art 5(1)(c)' }
		});
	});

	it('allows a forbidden act in record mode and records a finding with its audit entry', async () => {
		const t = await setUp({ workspace: { policyMode: 'record' } });
		const decision = await writeTransaction(t.ctx.db, async () => await applyPolicy(t.ctx, minimisation));
		expect(decision.ok).toBe(true);
		const [recorded] = await findings(t.ctx);
		expect(recorded).toMatchObject({ code: 'minimisation.no-purpose', rule: 'UK GDPR Art 5(1)(c)', subjectId: 'customer-1', actorId: 'agent-1' });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'finding.recorded',
			details: { code: 'minimisation.no-purpose', findingId: recorded!.id }
		});
	});
});

describe('context', () => {
	it('makes deterministic UUID-shaped ids from a seed', () => {
		const a = seededIds('s');
		const b = seededIds('s');
		const first = [a(), a(), a()];
		expect([b(), b(), b()]).toEqual(first);
		expect(new Set(first).size).toBe(3);
		for (const id of first) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});

	it('moves the test clock only when told', async () => {
		const t = await setUp({ now: '2025-01-31T12:00:00Z' });
		expect(t.ctx.clock()).toBe('2025-01-31T12:00:00.000Z');
		t.clock.advance(86_400_000);
		expect(t.ctx.clock()).toBe('2025-02-01T12:00:00.000Z');
		t.clock.set('2025-03-01T00:00:00Z');
		expect(t.ctx.clock()).toBe('2025-03-01T00:00:00.000Z');
	});
});
