import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { dbQuery } from './database';
import { auditEntries, verifyAuditChain } from './audit';
import { findings } from './policy';
import { logInteraction } from './interactions';
import {
	REFUSAL_RIGHTS_NOTICE,
	askForClarification,
	askForId,
	beginRequest,
	extendRequest,
	getRequest,
	logRequest,
	matchRequest,
	receiveClarification,
	receiveFee,
	receiveId,
	refuseRequest,
	requestFee,
	requestTransitions,
	withdrawRequest,
	type LogRequestInput,
	type RightsRequest
} from './requests';
import { organisationWithMargaret } from './testing-people';
import type { TestContext } from './testing';
import { verifyIdentity } from './verification';
import { authoriseThirdParty } from './third-parties';
import { assembleResponse, completeRequest } from './request-response';
import { closeTestContextsAfterEach, unwrap } from './testing';

closeTestContextsAfterEach();
const setUp = organisationWithMargaret;
const verbalSar = (extra: Partial<LogRequestInput> = {}): LogRequestInput => ({
	kind: 'access',
	channel: 'phone',
	verbal: true,
	description: 'Caller wants “everything you have on me”',
	...extra
});
async function logged(t: TestContext, extra: Partial<LogRequestInput> = {}): Promise<RightsRequest> {
	return unwrap(await logRequest(t.ctx, verbalSar(extra)));
}

describe('logging a request (DOMAIN.md §4)', () => {
	it('logs a verbal request with its date and time before the caller is matched to a record', async () => {
		const { t } = await setUp();
		const r = await logged(t, { receivedAt: '2025-03-03T08:40:00+00:00' });
		expect(r).toMatchObject({ state: 'received', verbal: true, customerId: null, receivedAt: '2025-03-03T08:40:00.000Z', receivedBy: 'agent-1', relevantTime: '2025-03-03T08:40:00.000Z' });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'request.logged',
			subjectType: 'request',
			subject: r.id,
			details: { fromState: null, toState: 'received', dueDate: '2025-04-03', verbal: true }
		});
		expect(await requestTransitions(t.ctx, r.id)).toMatchObject([{ fromState: null, toState: 'received', dueDateAfter: '2025-04-03' }]);
	});

	it('accepts a request made to anyone in the organisation, by any channel', async () => {
		const { t } = await setUp();
		expect((await logged(t, { channel: 'social-media', verbal: false })).electronic).toBe(true);
		expect((await logged(t, { channel: 'in-person', verbal: true })).electronic).toBe(false);
	});

	it('counts the day of receipt as day one: 31 January 2025 is due 28 February 2025', async () => {
		const { t } = await setUp();
		expect((await logged(t, { receivedAt: '2025-01-31T15:00:00Z' })).dueDate).toBe('2025-02-28');
	});

	it('counts a request received at 00:30 British Summer Time on 1 April from 1 April', async () => {
		const { t } = await setUp({ now: '2025-04-01T08:00:00Z' });
		expect((await logged(t, { receivedAt: '2025-04-01T00:30:00+01:00' })).dueDate).toBe('2025-05-01');
	});

	it('moves a due date on a public holiday of the organisation’s region to the next working day', async () => {
		const scotland = await setUp({ now: '2025-12-03T09:00:00Z', workspace: { region: 'scotland' } });
		const england = await setUp({ now: '2025-12-03T09:00:00Z' });
		// 2 January is a bank holiday in Scotland only.
		expect((await logged(scotland.t, { receivedAt: '2025-12-02T10:00:00Z' })).dueDate).toBe('2026-01-05');
		expect((await logged(england.t, { receivedAt: '2025-12-02T10:00:00Z' })).dueDate).toBe('2026-01-02');
	});

	it.each([
		['2025-01-31', '2025-02-28', 'no 31 February: the last day of the month'],
		['2024-01-31', '2024-02-29', 'a leap year'],
		['2025-09-03', '2025-10-03', 'the same date next month'],
		['2025-03-20', '2025-04-22', '20 April is Easter Sunday and 21 April Easter Monday']
	])('a request whose relevant time is %s is due on %s (%s)', async (received, due) => {
		const { t } = await setUp({ now: '2025-12-31T12:00:00Z' });
		expect((await logged(t, { receivedAt: `${received}T12:00:00Z` })).dueDate).toBe(due);
	});

	it('takes a verification already made in the same call as the request’s identity check, but not a failed one', async () => {
		const { t, customer } = await setUp();
		const good = unwrap(
			await verifyIdentity(t.ctx, { customerId: customer.id, requesterType: 'data-subject', method: 'knowledge-based', supplied: { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-04-12' } })
		);
		const bad = unwrap(await verifyIdentity(t.ctx, { customerId: customer.id, requesterType: 'data-subject', method: 'knowledge-based', supplied: { dateOfBirth: '1970-01-01' } }));
		expect((await logged(t, { customerId: customer.id, verificationId: good.attempt.id })).verificationAttemptId).toBe(good.attempt.id);
		expect(await logRequest(t.ctx, verbalSar({ customerId: customer.id, verificationId: bad.attempt.id }))).toMatchObject({ ok: false, error: { code: 'verification.not-verified' } });
	});

	it('does not let a verification of the account holder stand for a request made by a third party', async () => {
		const { t, customer } = await setUp();
		const son = unwrap(
			await authoriseThirdParty(t.ctx, {
				customerId: customer.id,
				name: 'David Okonkwo',
				relationship: 'son',
				authorityType: 'lasting-power-of-attorney',
				lpaType: 'property-and-financial-affairs',
				evidenceRef: 'LPA 1',
				scopeCategories: ['all'],
				scopeActions: ['make-requests', 'receive-information'],
				validFrom: '2025-01-01'
			})
		);
		const holder = unwrap(
			await verifyIdentity(t.ctx, { customerId: customer.id, requesterType: 'data-subject', method: 'knowledge-based', supplied: { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-04-12' } })
		);
		expect(
			await logRequest(t.ctx, verbalSar({ customerId: customer.id, requesterType: 'authorised-third-party', thirdPartyId: son.id, verificationId: holder.attempt.id }))
		).toMatchObject({ ok: false, error: { code: 'verification.other-party' } });
	});

	it('refuses a request received in the future', async () => {
		const { t } = await setUp();
		expect(await logRequest(t.ctx, verbalSar({ receivedAt: '2025-03-04T09:00:00Z' }))).toMatchObject({ ok: false, error: { code: 'request.received-in-future' } });
	});

	it('matches a request to the customer, and its interaction too', async () => {
		const { t, customer } = await setUp();
		const call = unwrap(await logInteraction(t.ctx, { channel: 'phone', direction: 'inbound', partyType: 'unknown', nature: 'subject access request' }));
		const r = await logged(t, { interactionId: call.id });
		const matched = unwrap(await matchRequest(t.ctx, { requestId: r.id, customerId: customer.id }));
		expect(matched).toMatchObject({ customerId: customer.id, state: 'received' });
		expect(await dbQuery(t.ctx.db, sql`select customer_id from interaction where id = ${call.id}`)).toEqual([{ customer_id: customer.id }]);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'request.matched', subjectType: 'customer', subject: customer.id, details: { requestId: r.id } });
	});
});

describe('the clock: ID, clarification, fee', () => {
	it('starts the clock when the requested ID arrives, not when the request was made', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t, { customerId: customer.id });
		expect(r.dueDate).toBe('2025-04-03');
		expect(unwrap(await askForId(t.ctx, { requestId: r.id, reason: 'Caller’s number does not match the record; asked for a copy of a utility bill' }))).toMatchObject({
			state: 'awaiting-id',
			idRequestedAt: '2025-03-03T09:00:00.000Z'
		});
		t.clock.set('2025-03-05T11:00:00Z');
		const received = unwrap(await receiveId(t.ctx, { requestId: r.id }));
		// 5 April 2025 is a Saturday: the next working day is Monday 7 April.
		expect(received).toMatchObject({ state: 'in-progress', relevantTime: '2025-03-05T11:00:00.000Z', dueDate: '2025-04-07' });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({
			action: 'request.id.received',
			details: { fromState: 'awaiting-id', toState: 'in-progress', dueDate: '2025-04-07', dueDateBefore: '2025-04-03' }
		});
	});

	it('does not let the clock wait for ID asked of a requester already verified', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t, { customerId: customer.id });
		await verifyIdentity(t.ctx, {
			customerId: customer.id,
			requesterType: 'data-subject',
			method: 'knowledge-based',
			supplied: { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-04-12' },
			requestId: r.id
		});
		unwrap(await askForId(t.ctx, { requestId: r.id, reason: 'Want a passport anyway' }));
		expect((await findings(t.ctx)).map((f) => f.code)).toEqual(['request.id.unnecessary']);
		t.clock.set('2025-03-10T09:00:00Z');
		expect(unwrap(await receiveId(t.ctx, { requestId: r.id }))).toMatchObject({ relevantTime: r.receivedAt, dueDate: '2025-04-03' });
	});

	it('refuses to ask a verified requester for more ID in enforce mode', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await logged(t, { customerId: customer.id });
		await verifyIdentity(t.ctx, {
			customerId: customer.id,
			requesterType: 'data-subject',
			method: 'knowledge-based',
			supplied: { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-04-12' },
			requestId: r.id
		});
		expect(await askForId(t.ctx, { requestId: r.id, reason: 'Want a passport anyway' })).toMatchObject({ ok: false, error: { code: 'request.id.unnecessary' } });
	});

	it('pauses the clock from asking for clarification to receiving it', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t, { customerId: customer.id });
		unwrap(await beginRequest(t.ctx, { requestId: r.id }));
		t.clock.set('2025-03-10T09:00:00Z');
		unwrap(await askForClarification(t.ctx, { requestId: r.id, question: 'Which of your two accounts do you mean?' }));
		t.clock.set('2025-03-14T16:00:00Z');
		const resumed = unwrap(await receiveClarification(t.ctx, { requestId: r.id }));
		// 4 days paused: counted as if received on 7 March, so due Monday 7 April.
		expect(resumed).toMatchObject({ state: 'in-progress', pausedDays: 4, dueDate: '2025-04-07' });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'request.clarification.received', details: { pausedDays: 4, totalPausedDays: 4 } });
	});

	it('adds up the days of several clarification pauses', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t, { customerId: customer.id });
		for (const [ask, answer] of [
			['2025-03-04T09:00:00Z', '2025-03-06T09:00:00Z'],
			['2025-03-11T09:00:00Z', '2025-03-14T09:00:00Z']
		] as const) {
			t.clock.set(ask);
			unwrap(await askForClarification(t.ctx, { requestId: r.id, question: 'Which period?' }));
			t.clock.set(answer);
			unwrap(await receiveClarification(t.ctx, { requestId: r.id }));
		}
		expect(await getRequest(t.ctx, r.id)).toMatchObject({ pausedDays: 5, dueDate: '2025-04-08' });
	});

	it('moves the relevant time to receipt of a fee where one is allowed', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t, { customerId: customer.id });
		unwrap(await requestFee(t.ctx, { requestId: r.id, feePence: 2500, grounds: 'manifestly-unfounded-or-excessive', justification: 'Twelfth identical request this month' }));
		t.clock.set('2025-03-12T10:00:00Z');
		expect(unwrap(await receiveFee(t.ctx, { requestId: r.id }))).toMatchObject({ state: 'in-progress', relevantTime: '2025-03-12T10:00:00.000Z', dueDate: '2025-04-14' });
	});

	it('refuses a fee for a first copy of the data in enforce mode', async () => {
		const { t, customer } = await setUp({ workspace: { policyMode: 'enforce' } });
		const r = await logged(t, { customerId: customer.id });
		expect(await requestFee(t.ctx, { requestId: r.id, feePence: 1000, grounds: 'further-copies', justification: 'Copying costs' })).toMatchObject({
			ok: false,
			error: { code: 'request.fee.not-allowed' }
		});
		expect((await getRequest(t.ctx, r.id))?.state).toBe('received');
	});

	it('allows a fee for further copies once a first copy has been supplied free', async () => {
		const { t, customer } = await setUp();
		const verified = unwrap(
			await verifyIdentity(t.ctx, { customerId: customer.id, requesterType: 'data-subject', method: 'knowledge-based', supplied: { givenName: 'Margaret', familyName: 'Okonkwo', postcode: 'RG1 2AB', dateOfBirth: '1961-04-12' } })
		);
		const first = await logged(t, { customerId: customer.id, verificationId: verified.attempt.id, channel: 'email' });
		unwrap(await beginRequest(t.ctx, { requestId: first.id }));
		unwrap(await assembleResponse(t.ctx, { requestId: first.id }));
		unwrap(await completeRequest(t.ctx, { requestId: first.id }));
		const second = await logged(t, { customerId: customer.id });
		expect(unwrap(await requestFee(t.ctx, { requestId: second.id, feePence: 1000, grounds: 'further-copies', justification: 'Second copy of the same data: administrative cost of copying' }))).toMatchObject({
			state: 'awaiting-fee',
			feePence: 1000
		});
		expect(await findings(t.ctx)).toHaveLength(0);
	});

	it('refuses to record ID that was never asked for', async () => {
		const { t } = await setUp();
		const r = await logged(t);
		expect(await receiveId(t.ctx, { requestId: r.id })).toMatchObject({ ok: false, error: { code: 'request.wrong-state' } });
	});
});

describe('extension (Art 12(3))', () => {
	it('extends a complex request by two further months when the person is told within the first month', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t, { customerId: customer.id });
		unwrap(await beginRequest(t.ctx, { requestId: r.id }));
		t.clock.set('2025-03-20T09:00:00Z');
		const extended = unwrap(await extendRequest(t.ctx, { requestId: r.id, reason: 'complex', explanation: 'Records span three legacy systems' }));
		expect(extended).toMatchObject({ state: 'extended', extended: true, dueDate: '2025-06-03', extensionNotifiedAt: '2025-03-20T09:00:00.000Z' });
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'request.extended', details: { reason: 'complex', originalDueDate: '2025-04-03', dueDate: '2025-06-03' } });
	});

	it('refuses an extension notified after the original due date', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t, { customerId: customer.id });
		unwrap(await beginRequest(t.ctx, { requestId: r.id }));
		t.clock.set('2025-04-04T09:00:00Z');
		expect(await extendRequest(t.ctx, { requestId: r.id, reason: 'complex', explanation: 'Found more records' })).toMatchObject({
			ok: false,
			error: { code: 'request.extension.too-late', field: 'notifiedAt' }
		});
		expect(await getRequest(t.ctx, r.id)).toMatchObject({ extended: false, dueDate: '2025-04-03' });
	});

	it('refuses to extend a deadline twice', async () => {
		const { t } = await setUp();
		const r = await logged(t);
		unwrap(await extendRequest(t.ctx, { requestId: r.id, reason: 'several-requests', explanation: 'Five requests at once' }));
		expect(await extendRequest(t.ctx, { requestId: r.id, reason: 'complex', explanation: 'More' })).toMatchObject({ ok: false, error: { code: 'request.wrong-state' } });
	});

	it('returns to the extended state after clarification arrives', async () => {
		const { t } = await setUp();
		const r = await logged(t);
		unwrap(await extendRequest(t.ctx, { requestId: r.id, reason: 'complex', explanation: 'Many systems' }));
		unwrap(await askForClarification(t.ctx, { requestId: r.id, question: 'Which years?' }));
		t.clock.advance(2 * 86_400_000);
		expect(unwrap(await receiveClarification(t.ctx, { requestId: r.id }))).toMatchObject({ state: 'extended', pausedDays: 2, dueDate: '2025-06-05' });
	});
});

describe('refusal and withdrawal', () => {
	it('refuses a request as manifestly unfounded only with a recorded justification', async () => {
		const { t } = await setUp();
		const r = await logged(t);
		expect(await refuseRequest(t.ctx, { requestId: r.id, grounds: 'manifestly-unfounded', justification: 'No' })).toMatchObject({ ok: false, error: { field: 'justification' } });
		const refused = unwrap(
			await refuseRequest(t.ctx, { requestId: r.id, grounds: 'manifestly-unfounded', justification: 'The requester says he will withdraw it in exchange for a payment: a request made to cause disruption.' })
		);
		expect(refused).toMatchObject({ state: 'refused', refusalReason: expect.stringContaining('payment'), closedAt: '2025-03-03T09:00:00.000Z' });
		const notice = (refused.particulars.refusal as { notice: string }).notice;
		expect(notice).toContain('Information Commissioner');
		expect(notice).toContain('court');
		expect(notice).toContain(REFUSAL_RIGHTS_NOTICE);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'request.refused', details: { partly: false, toldOfIcoAndCourt: true, late: false } });
	});

	it('marks a refusal sent after the due date as late', async () => {
		const { t } = await setUp();
		const r = await logged(t);
		t.clock.set('2025-04-10T09:00:00Z');
		unwrap(await refuseRequest(t.ctx, { requestId: r.id, grounds: 'manifestly-excessive', justification: 'Overlaps entirely with the request answered last week.' }));
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ details: { late: true } });
	});

	it('records a withdrawal, after which the request accepts no transition', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t);
		expect(unwrap(await withdrawRequest(t.ctx, { requestId: r.id, note: 'Sorted it out on the phone' }))).toMatchObject({ state: 'withdrawn' });
		expect(await matchRequest(t.ctx, { requestId: r.id, customerId: customer.id })).toMatchObject({ ok: false, error: { code: 'request.closed' } });
	});

	it('writes exactly one audit entry and one transition row for every state change, each stamped with the due date', async () => {
		const { t, customer } = await setUp();
		const r = await logged(t);
		unwrap(await matchRequest(t.ctx, { requestId: r.id, customerId: customer.id }));
		unwrap(await askForId(t.ctx, { requestId: r.id, reason: 'Doubt' }));
		t.clock.advance(86_400_000);
		unwrap(await receiveId(t.ctx, { requestId: r.id }));
		unwrap(await askForClarification(t.ctx, { requestId: r.id, question: '?' }));
		unwrap(await receiveClarification(t.ctx, { requestId: r.id }));
		unwrap(await extendRequest(t.ctx, { requestId: r.id, reason: 'complex', explanation: 'Much data' }));
		unwrap(await withdrawRequest(t.ctx, { requestId: r.id }));
		const transitions = await requestTransitions(t.ctx, r.id);
		const events = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).filter((e) => e.details.requestId === r.id);
		expect(transitions.map((x) => x.toState)).toEqual(['received', 'received', 'awaiting-id', 'in-progress', 'awaiting-clarification', 'in-progress', 'extended', 'withdrawn']);
		expect(events).toHaveLength(transitions.length);
		for (const [i, e] of events.entries()) {
			expect(e.details).toMatchObject({ toState: transitions[i]!.toState, dueDate: transitions[i]!.dueDateAfter });
			expect(transitions[i]).toMatchObject({ actorId: 'agent-1', actorRole: 'agent' });
		}
		expect((await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).ok).toBe(true);
	});
});
