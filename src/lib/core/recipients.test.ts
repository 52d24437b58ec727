import { describe, expect, it } from 'vitest';
import { auditEntries } from './audit';
import { endRelationship } from './customers';
import { disclose } from './disclosure';
import { notificationsOf, notifyRecipients, recipientsFor } from './recipients';
import { fulfilErasure, fulfilRectification } from './request-fulfilment';
import { type RequestKind, type RightsRequest } from './requests';
import { createOrganisation, MARGARET_KNOWS, recordPerson, startRequest } from './testing-people';
import type { TestContext } from './testing';
import { verifyIdentity } from './verification';
import { closeTestContextsAfterEach, unwrap } from './testing';

closeTestContextsAfterEach();

/** Margaret, whose data went to a debt collector (twice), HMRC, a colleague and herself. */
async function setUp() {
	const t = await createOrganisation();
	const customer = await recordPerson(t.ctx);
	const id = customer.id;
	const debtCollector = { type: 'regulator' as const, name: 'Collections desk', organisation: 'Northway Debt Recovery Ltd' };
	const toCollector = async (fields: string[]) =>
		unwrap(await disclose(t.ctx, { customerId: id, recipient: debtCollector, fields, basisOrExemption: 'legal-obligation', authorityEvidence: 'Court order CO-1', channel: 'email' })).disclosure;
	const first = await toCollector(['arrears', 'addressLine1']);
	const second = await toCollector(['phone']);
	const hmrc = unwrap(
		await disclose(t.ctx, { customerId: id, recipient: { type: 'regulator', name: 'HMRC' }, fields: ['balance'], basisOrExemption: 'legal-obligation', authorityEvidence: 'Notice 9', channel: 'letter' })
	).disclosure;
	unwrap(await disclose(t.ctx, { customerId: id, recipient: { type: 'colleague', name: 'J', role: 'debt collection agencies' }, fields: ['phone'], purposeCode: 'account-servicing', channel: 'internal' }));
	const verificationId = unwrap(await verifyIdentity(t.ctx, { customerId: id, requesterType: 'data-subject', method: 'knowledge-based', supplied: MARGARET_KNOWS })).attempt.id;
	unwrap(await disclose(t.ctx, { customerId: id, recipient: { type: 'data-subject' }, fields: ['balance'], channel: 'phone', verificationId }));
	return { t, customer, first, second, hmrc };
}
const requestInProgress = async (t: TestContext, customerId: string, kind: RequestKind): Promise<RightsRequest> =>
	await startRequest(t.ctx, { kind, channel: 'phone', verbal: true, description: kind, customerId });

describe('notifying recipients (Art 19)', () => {
	it('counts as recipients those in the disclosure log, grouped, but not the person or colleagues', async () => {
		const { t, customer, first, second, hmrc } = await setUp();
		expect((await recipientsFor(t.ctx, customer.id)).map((r) => r.disclosureIds)).toEqual([[first.id, second.id], [hmrc.id]]);
	});

	it('tells every recipient in the disclosure log after an erasure, recording each notification', async () => {
		const { t, customer, first, second, hmrc } = await setUp();
		unwrap(await endRelationship(t.ctx, customer.id));
		const r = await requestInProgress(t, customer.id, 'erasure');
		unwrap(await fulfilErasure(t.ctx, { requestId: r.id, ground: 'no-longer-necessary' }));
		const rows = unwrap(await notifyRecipients(t.ctx, { requestId: r.id }));
		expect(rows).toMatchObject([
			{ recipientOrganisation: 'Northway Debt Recovery Ltd', disclosureIds: [first.id, second.id], outcome: 'notified', channel: 'email' },
			{ recipientName: 'HMRC', disclosureIds: [hmrc.id], outcome: 'notified' }
		]);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'recipients.notified', details: { count: 2, disclosureIds: [first.id, second.id, hmrc.id] } });
	});

	it('tells only the recipients of the fields rectified', async () => {
		const { t, customer, first } = await setUp();
		const r = await requestInProgress(t, customer.id, 'rectification');
		unwrap(await fulfilRectification(t.ctx, { requestId: r.id, corrections: [{ field: 'addressLine1', newValue: '14 High Street', reason: 'Wrong number' }] }));
		const rows = unwrap(await notifyRecipients(t.ctx, { requestId: r.id }));
		expect(rows.map((row) => row.disclosureIds)).toEqual([[first.id]]);
	});

	it('records why telling a recipient was impossible', async () => {
		const { t, customer, hmrc } = await setUp();
		const r = await requestInProgress(t, customer.id, 'rectification');
		unwrap(await fulfilRectification(t.ctx, { requestId: r.id, corrections: [{ field: 'balance', newValue: '100.00', reason: 'Billing error' }] }));
		const rows = unwrap(await notifyRecipients(t.ctx, { requestId: r.id, exceptions: [{ disclosureId: hmrc.id, outcome: 'disproportionate', reason: 'Notice closed; HMRC asked not to be sent updates' }] }));
		expect(rows).toMatchObject([{ outcome: 'disproportionate', reason: expect.stringContaining('Notice closed'), channel: null }]);
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)).toMatchObject({ action: 'recipients.notification.impossible', details: { outcome: 'disproportionate' } });
		expect(await notificationsOf(t.ctx, r.id)).toHaveLength(1);
	});

	it('cannot notify before the rectification, erasure or restriction is carried out, nor twice', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'rectification');
		expect(await notifyRecipients(t.ctx, { requestId: r.id })).toMatchObject({ ok: false, error: { code: 'request.not-fulfilled' } });
		unwrap(await fulfilRectification(t.ctx, { requestId: r.id, corrections: [{ field: 'phone', newValue: '07700 900456', reason: 'New number' }] }));
		unwrap(await notifyRecipients(t.ctx, { requestId: r.id }));
		expect(await notifyRecipients(t.ctx, { requestId: r.id })).toMatchObject({ ok: false, error: { code: 'recipients.already-notified' } });
	});

	it('does not apply to an access request', async () => {
		const { t, customer } = await setUp();
		const r = await requestInProgress(t, customer.id, 'access');
		expect(await notifyRecipients(t.ctx, { requestId: r.id })).toMatchObject({ ok: false, error: { code: 'recipients.not-applicable' } });
	});
});
