import { describe, expect, it } from 'vitest';
import { auditEntries, verifyAuditChain } from './audit';
import {
	assessBreachRisk,
	breachOutstanding,
	breachRegister,
	closeBreach,
	containBreach,
	recordIcoNotification,
	recordIcoNotNotified,
	recordSubjectsNotTold,
	recordSubjectsTold,
	registerBreach,
	type RegisterBreachInput
} from './breaches';
import { findings } from './policy';
import { closeTestContextsAfterEach, createTestContext, type TestContext, type TestContextOptions } from './testing';

closeTestContextsAfterEach();
async function setUp(options: TestContextOptions = {}): Promise<TestContext> {
	// Monday 9 June 2025, 09:00 BST
	const t = await createTestContext({ now: '2025-06-09T08:00:00.000Z', ...options });
	return t;
}

const misdirectedStatement: RegisterBreachInput = {
	// Friday 6 June 2025, 16:00 BST
	awareAt: '2025-06-06T16:00:00+01:00',
	description: 'A statement was emailed to the wrong customer',
	dataCategories: ['contact', 'financial'],
	subjectCategories: ['customers'],
	approxSubjects: 1,
	approxRecords: 1,
	affectedCustomerIds: ['customer-1']
};

async function registered(t: TestContext) {
	const r = await registerBreach(t.ctx, misdirectedStatement);
	if (!r.ok) throw new Error(r.error.message);
	return r.value;
}

describe('breach register (Art 33, 34)', () => {
	it('a Friday 16:00 breach is due Monday 16:00', async () => {
		const t = await setUp();
		const b = await registered(t);
		// 72 calendar hours, no working-day adjustment: Monday 9 June 16:00 BST = 15:00 UTC
		expect(b.reportDueAt).toBe('2025-06-09T15:00:00.000Z');
		expect(b.awareAt).toBe('2025-06-06T15:00:00.000Z');
	});

	it('counts 72 elapsed hours across the change to summer time', async () => {
		const t = await setUp();
		const r = await registerBreach(t.ctx, { ...misdirectedStatement, awareAt: '2025-03-29T12:00:00+00:00' });
		expect(r.ok && r.value.reportDueAt).toBe('2025-04-01T12:00:00.000Z');
	});

	it('holds what happened, the categories, approximate numbers and likely consequences', async () => {
		const t = await setUp();
		const r = await registerBreach(t.ctx, { ...misdirectedStatement, approxSubjects: 120, approxRecords: 340, likelyConsequences: 'Financial details seen by a stranger' });
		expect(r).toMatchObject({
			ok: true,
			value: { dataCategories: ['contact', 'financial'], subjectCategories: ['customers'], approxSubjects: 120, approxRecords: 340, risk: 'unassessed' }
		});
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'breach.registered', subjectType: 'breach', details: { reportDueAt: '2025-06-09T15:00:00.000Z' } });
	});

	it('refuses a register entry without the categories of data concerned', async () => {
		const t = await setUp();
		expect(await registerBreach(t.ctx, { ...misdirectedStatement, dataCategories: [] })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'dataCategories' } });
	});

	it('refuses an awareness time without an offset, which would depend on the server’s time zone', async () => {
		const t = await setUp();
		expect(await registerBreach(t.ctx, { ...misdirectedStatement, awareAt: '2025-06-06T16:00:00' })).toMatchObject({ ok: false, error: { field: 'awareAt' } });
	});

	it('lists every breach in the register, reported or not', async () => {
		const t = await setUp();
		const a = await registered(t);
		const b = await registered(t);
		await assessBreachRisk(t.ctx, { breachId: a.id, risk: 'unlikely', reasoning: 'Recipient is a trusted partner who deleted it' });
		await recordIcoNotNotified(t.ctx, { breachId: a.id, reason: 'Unlikely to result in a risk: deleted unread, confirmed in writing' });
		const register = await breachRegister(t.ctx);
		expect(register.map((r) => r.id)).toEqual([a.id, b.id]);
		expect(register[0]).toMatchObject({ reportOverdue: false, notNotifiedReason: expect.stringContaining('Unlikely') });
	});

	it('shows a breach neither reported nor decided on as overdue after 72 hours', async () => {
		const t = await setUp();
		await registered(t);
		t.clock.set('2025-06-09T15:00:01.000Z');
		expect((await breachRegister(t.ctx))[0]?.reportOverdue).toBe(true);
	});

	it('records the risk assessment with its reasoning', async () => {
		const t = await setUp();
		const b = await registered(t);
		const r = await assessBreachRisk(t.ctx, { breachId: b.id, risk: 'high-risk', reasoning: 'Bank details and arrears exposed to an unknown person', likelyConsequences: 'Fraud, distress' });
		expect(r).toMatchObject({ ok: true, value: { risk: 'high-risk', riskAssessment: expect.stringContaining('Bank details'), assessedBy: 'agent-1', likelyConsequences: 'Fraud, distress' } });
	});

	it('records a report to the ICO within 72 hours as on time', async () => {
		const t = await setUp();
		const b = await registered(t);
		await assessBreachRisk(t.ctx, { breachId: b.id, risk: 'risk', reasoning: 'Financial data to a stranger' });
		t.clock.set('2025-06-09T14:45:00Z');
		expect(await recordIcoNotification(t.ctx, { breachId: b.id, notifiedAt: '2025-06-09T15:00:00Z', reference: 'x' })).toMatchObject({ ok: false, error: { code: 'breach.notified-in-future' } });
		const r = await recordIcoNotification(t.ctx, { breachId: b.id, notifiedAt: '2025-06-09T14:30:00Z', reference: 'ICO/BR/2025/0612' });
		expect(r).toMatchObject({ ok: true, value: { icoNotifiedAt: '2025-06-09T14:30:00.000Z', icoReference: 'ICO/BR/2025/0612', lateReasons: null } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'breach.ico.notified', details: { late: false } });
	});

	it('refuses a late report to the ICO without reasons for the delay', async () => {
		const t = await setUp();
		const b = await registered(t);
		t.clock.set('2025-06-10T09:00:00Z');
		expect(await recordIcoNotification(t.ctx, { breachId: b.id, reference: 'ICO/1' })).toMatchObject({ ok: false, error: { code: 'breach.late-reasons-required', field: 'lateReasons' } });
		const r = await recordIcoNotification(t.ctx, { breachId: b.id, reference: 'ICO/1', lateReasons: 'The breach was escalated to the DPO only on Tuesday' });
		expect(r).toMatchObject({ ok: true, value: { lateReasons: expect.stringContaining('Tuesday') } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'breach.ico.notified', details: { late: true } });
	});

	it('records a decision not to report with reasons when the risk is unlikely', async () => {
		const t = await setUp({ workspace: { policyMode: 'enforce' } });
		const b = await registered(t);
		await assessBreachRisk(t.ctx, { breachId: b.id, risk: 'unlikely', reasoning: 'Encrypted attachment, key not sent' });
		expect(await recordIcoNotNotified(t.ctx, { breachId: b.id, reason: 'Encrypted: no likely risk' })).toMatchObject({ ok: true, value: { notNotifiedReason: 'Encrypted: no likely risk' } });
	});

	it('refuses not reporting a breach assessed as a risk in enforce mode', async () => {
		const t = await setUp({ workspace: { policyMode: 'enforce' } });
		const b = await registered(t);
		await assessBreachRisk(t.ctx, { breachId: b.id, risk: 'risk', reasoning: 'Financial data' });
		expect(await recordIcoNotNotified(t.ctx, { breachId: b.id, reason: 'We would rather not' })).toMatchObject({ ok: false, error: { code: 'breach.report.required' } });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'policy.refused' });
	});

	it('records not reporting a reportable breach as a finding in record mode', async () => {
		const t = await setUp();
		const b = await registered(t);
		expect((await recordIcoNotNotified(t.ctx, { breachId: b.id, reason: 'Did not think it mattered' })).ok).toBe(true);
		expect((await findings(t.ctx)).map((f) => f.code)).toEqual(['breach.report.required']);
	});

	it('records when the people affected were told', async () => {
		const t = await setUp();
		const b = await registered(t);
		await assessBreachRisk(t.ctx, { breachId: b.id, risk: 'high-risk', reasoning: 'Bank details exposed' });
		const r = await recordSubjectsTold(t.ctx, { breachId: b.id, toldAt: '2025-06-07T10:00:00+01:00', count: 1 });
		expect(r).toMatchObject({ ok: true, value: { subjectsToldAt: '2025-06-07T09:00:00.000Z' } });
	});

	it('refuses not telling people of a high-risk breach for want of an Art 34(3) exception in enforce mode', async () => {
		const t = await setUp({ workspace: { policyMode: 'enforce' } });
		const b = await registered(t);
		await assessBreachRisk(t.ctx, { breachId: b.id, risk: 'high-risk', reasoning: 'Bank details exposed' });
		expect(await recordSubjectsNotTold(t.ctx, { breachId: b.id, reason: 'not-high-risk', explanation: 'We disagree' })).toMatchObject({ ok: false, error: { code: 'breach.subjects.must-be-told' } });
		expect(await recordSubjectsNotTold(t.ctx, { breachId: b.id, reason: 'data-unintelligible', explanation: 'AES-256 encrypted, key not compromised' })).toMatchObject({
			ok: true,
			value: { subjectsNotToldReason: expect.stringContaining('Art 34(3)(a)') }
		});
	});

	it('records the measures taken to contain a breach', async () => {
		const t = await setUp();
		const b = await registered(t);
		await containBreach(t.ctx, { breachId: b.id, measures: 'Recall requested; recipient confirmed deletion' });
		const r = await containBreach(t.ctx, { breachId: b.id, measures: 'Mail merge template fixed' });
		expect(r.ok && r.value.measuresTaken).toBe('Recall requested; recipient confirmed deletion\nMail merge template fixed');
	});

	it('cannot close a breach while the register entry lacks the risk, the ICO decision or the telling of people', async () => {
		const t = await setUp();
		const b = await registered(t);
		expect(await closeBreach(t.ctx, { breachId: b.id })).toMatchObject({ ok: false, error: { code: 'breach.incomplete' } });
		await assessBreachRisk(t.ctx, { breachId: b.id, risk: 'high-risk', reasoning: 'Bank details' });
		await containBreach(t.ctx, { breachId: b.id, measures: 'Recalled' });
		await recordIcoNotification(t.ctx, { breachId: b.id, notifiedAt: '2025-06-09T08:00:00Z', reference: 'ICO/2' });
		expect(breachOutstanding((await breachRegister(t.ctx))[0]!)).toEqual(['telling the people affected, or the reason for not telling them']);
		await recordSubjectsTold(t.ctx, { breachId: b.id, count: 1 });
		expect(await closeBreach(t.ctx, { breachId: b.id })).toMatchObject({ ok: true, value: { closedAt: '2025-06-09T08:00:00.000Z' } });
		expect(await containBreach(t.ctx, { breachId: b.id, measures: 'More' })).toMatchObject({ ok: false, error: { code: 'breach.closed' } });
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});

	it('keeps personal details out of the audit log of a breach', async () => {
		const t = await setUp();
		await registerBreach(t.ctx, { ...misdirectedStatement, description: 'Statement for Mrs Jane Example sent to the wrong address' });
		expect(JSON.stringify(await auditEntries(t.ctx.db, t.ctx.workspaceId))).not.toContain('Jane');
	});
});
