import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { dbRun, dbAll, dbGet } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { retentionRule } from '$lib/core/schema/retention';
import { replayAttempt } from '$lib/sim/runtime';
import { createUser } from '$lib/server/auth/user';
import { organisation, securityEvent } from '$lib/server/db/schema';
import { attemptsOf, ownedAttempt, startLearnerAttempt, applyLearnerAction } from './attempts';
import { deleteRetentionRule, retentionRulesOf, saveRetentionRule, updateOrganisationSettings } from './organisation';
import { currentVersionOf, findScenarioVersion, syncBuiltInScenarios } from './scenarios';

const RULE = { code: 'complaints-records', description: 'Complaints, three years after closure.', periodMonths: '36', trigger: 'relationship-ended', action: 'erase', authority: 'Centre policy 4.2' } as const;

describe('centre settings and retention rules', () => {
	let db: Db;
	let learner: string;
	beforeEach(async () => {
		db = await openTestDatabase();
		await dbRun(db.insert(organisation).values({ id: 'centre-1', name: 'Test Centre', updatedAt: new Date(0).toISOString() }));
		await syncBuiltInScenarios(db);
		learner = (await createUser(db, { organisationId: 'centre-1', email: 'l@example.org', displayName: 'L', password: 'a long enough password', roles: ['learner'] })).id;
	});

	const SETTINGS = { name: 'Northgate', region: 'scotland', dpoName: 'Helen Marsh', dpoEmail: 'dpo@example.org', dpoPhone: '', securityLogRetentionDays: '365' };
	const BY = { id: 'admin-1', address: '192.0.2.10', routeId: '/(guarded)/admin/settings', requestId: 'req-1' };

	it('saves the centre’s name, region, data protection officer and security log period, and names each bad field', async () => {
		expect((await updateOrganisationSettings(db, 'centre-1', SETTINGS, BY)).ok).toBe(true);
		const bad = await updateOrganisationSettings(db, 'centre-1', { name: '', region: 'mars', dpoName: '', dpoEmail: 'nope', dpoPhone: 'call me', securityLogRetentionDays: '7' }, BY);
		expect(bad.ok || Object.keys(bad.errors).sort()).toEqual(['dpoEmail', 'dpoName', 'dpoPhone', 'name', 'region', 'securityLogRetentionDays']);
		expect(bad.ok || bad.errors.securityLogRetentionDays).toBe('Keep events from 30 to 3650 days (about ten years).');
	});

	it('logs which settings an administrator changed, with the log’s own period before and after, never the DPO’s details', async () => {
		await updateOrganisationSettings(db, 'centre-1', SETTINGS, BY);
		await updateOrganisationSettings(db, 'centre-1', { ...SETTINGS, dpoName: 'Omar Haddad', securityLogRetentionDays: '90' }, BY);
		await updateOrganisationSettings(db, 'centre-1', { ...SETTINGS, dpoName: 'Omar Haddad', securityLogRetentionDays: '90' }, BY);
		const events = await dbAll(db.select().from(securityEvent));
		expect(events).toHaveLength(2);
		expect(events[0]).toMatchObject({ type: 'settings.changed', actorId: 'admin-1', userId: null, address: '192.0.2.10', routeId: '/(guarded)/admin/settings', requestId: 'req-1' });
		expect(events[0]!.detail).toEqual({ settings: ['name', 'region', 'dpoName', 'dpoEmail'] });
		expect(events[1]!.detail).toEqual({ settings: ['dpoName', 'securityLogRetentionDays'], retentionDaysBefore: 365, retentionDaysAfter: 90 });
		expect(JSON.stringify(events)).not.toMatch(/Helen|Omar|dpo@example/);
		expect((await dbGet(db.select().from(organisation)))!.securityLogRetentionDays).toBe(90);
	});

	it('adds, changes and deletes rules with unique codes, validating every field', async () => {
		const made = await saveRetentionRule(db, 'centre-1', null, RULE);
		if (!made.ok) throw new Error(JSON.stringify(made.errors));
		expect(made.rule).toMatchObject({ code: 'complaints-records', periodMonths: 36 });
		const clash = await saveRetentionRule(db, 'centre-1', null, { ...RULE, code: 'Complaints-Records' });
		expect(clash.ok || clash.errors.code).toMatch(/already a rule/);
		const bad = await saveRetentionRule(db, 'centre-1', null, { code: 'Bad code!', description: '', periodMonths: '-3', trigger: 'whenever' as never, action: 'burn' as never, authority: '' });
		expect(bad.ok || Object.keys(bad.errors).sort()).toEqual(['action', 'code', 'description', 'periodMonths', 'trigger']);
		expect((await saveRetentionRule(db, 'centre-1', made.rule.id, { ...RULE, periodMonths: '48' })).ok).toBe(true);
		expect((await retentionRulesOf(db, 'centre-1'))[0]!.periodMonths).toBe(48);
		expect((await saveRetentionRule(db, 'centre-1', 'not-a-rule', RULE)).ok).toBe(false);
		expect(await deleteRetentionRule(db, 'other-centre', made.rule.id)).toBe(false);
		expect(await deleteRetentionRule(db, 'centre-1', made.rule.id)).toBe(true);
		expect(await retentionRulesOf(db, 'centre-1')).toEqual([]);
	});

	it('adds the centre’s rules to a new attempt’s workspace, pins them, and the attempt still replays exactly', async () => {
		await saveRetentionRule(db, 'centre-1', null, RULE);
		const started = await startLearnerAttempt(db, learner, 'spouse-caller');
		if (!started.ok) throw new Error(started.error.message);
		const codes = (await dbAll(db.select({ code: retentionRule.code }).from(retentionRule).where(eq(retentionRule.workspaceId, started.value.workspaceId)))).map((r) => r.code);
		expect(codes).toContain('complaints-records');
		// Pinned on a version of its own, never offered to learners as current.
		const published = (await currentVersionOf(db, 'spouse-caller'))!;
		expect(started.value.scenarioVersion).not.toBe(published.version);
		// Listed and counted as the published version it adds the rules to.
		expect((await findScenarioVersion(db, `spouse-caller@${started.value.scenarioVersion}`))!.derivedFrom).toBe(published.id);
		const owned = (await ownedAttempt(db, learner, started.value.id))!;
		const first = owned.view.node!.choices[0]!.id;
		expect((await applyLearnerAction(db, learner, started.value.id, { kind: 'choice', choiceId: first }, 1)).ok).toBe(true);

		// Changing the centre's rules afterwards changes nothing in the attempt.
		await deleteRetentionRule(db, 'centre-1', (await retentionRulesOf(db, 'centre-1'))[0]!.id);
		const replay = await replayAttempt(db, (await ownedAttempt(db, learner, started.value.id))!.loaded, started.value.id);
		expect(replay.ok && replay.value).toMatchObject({ identical: true, differences: [] });
		expect((await attemptsOf(db, learner))[0]!.title).toBe((await currentVersionOf(db, 'spouse-caller'))!.title);
	});

	it('leaves a scenario that defines the rule’s code as it is', async () => {
		const own = (await currentVersionOf(db, 'spouse-caller'))!;
		const ownCodes = await ownedCodes(db, learner);
		await saveRetentionRule(db, 'centre-1', null, { ...RULE, code: ownCodes[0]!, description: 'Centre version of the rule.' });
		const started = await startLearnerAttempt(db, learner, 'spouse-caller');
		if (!started.ok) throw new Error(started.error.message);
		expect(started.value.scenarioVersion).toBe(own.version);
	});
});

async function ownedCodes(db: Db, learner: string): Promise<string[]> {
	const started = await startLearnerAttempt(db, learner, 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	return (await dbAll(db.select({ code: retentionRule.code }).from(retentionRule).where(eq(retentionRule.workspaceId, started.value.workspaceId)))).map((r) => r.code);
}
