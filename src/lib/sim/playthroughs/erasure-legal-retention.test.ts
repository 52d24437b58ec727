/**
 * erasure-legal-retention: a former member asks for full erasure; the money laundering records are
 * held (MLR 2017 reg 40) for that purpose only (reg 41), everything else goes (her health note held
 * on explicit consent too), marketing stops absolutely (Art 21(3)), a suppression entry stays, the
 * accountants in the disclosure log are told. Played through the runtime on the real core's erasure,
 * legal holds, objections, request state machine and Art 19 notifications.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('erasure-legal-retention');
const s = loaded.scenario;
const gemma = (r: PlayRefs) => r.id('gemma');
const request = (r: PlayRefs) => r.id('erasure');

const findHer: Step = { do: 'searchCustomers', input: { name: 'Gemma Thornton', postcode: 'HX1 4DT' } };
const verify: Step = {
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: gemma(r),
		requesterType: 'data-subject',
		method: 'knowledge-based',
		supplied: { givenName: 'Gemma', familyName: 'Thornton', dateOfBirth: '21/09/1985', postcode: 'HX1 4DT' }
	}),
	as: 'verification'
};
const logTheRequest: Step = {
	do: 'logRequest',
	input: (r) => ({
		kind: 'erasure',
		channel: 'phone',
		verbal: true,
		description: 'Former member: delete everything held about her; received another marketing email after closing her account.',
		customerId: gemma(r),
		verificationId: r.id('verification')
	}),
	as: 'erasure'
};
const eraseOn = (ground: 'no-longer-necessary' | 'consent-withdrawn'): Step[] => [
	{ do: 'beginRequest', input: (r) => ({ requestId: request(r) }) },
	{ do: 'fulfilErasure', input: (r) => ({ requestId: request(r), ground }) }
];
const closeAndTell: Step[] = [
	{ do: 'completeRequest', input: (r) => ({ requestId: request(r), channel: 'letter' }) },
	{ do: 'notifyRecipients', input: (r) => ({ requestId: request(r), channel: 'email' }) }
];
const logTheCall: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: gemma(r),
		channel: 'phone',
		direction: 'inbound',
		partyType: 'data-subject',
		nature: 'Erasure request',
		actionsTaken: ['Erased except MLR records (held to 31 Jan 2029)', 'Suppression kept', 'Accountants told', 'Confirmation letter sent']
	})
};

describe('erasure-legal-retention', () => {
	it('model answer: verifies, logs the request, erases with the MLR hold, keeps suppression, tells her and the accountants', async () => {
		const play = await playthrough(loaded, [
			{ say: 'security-first' },
			findHer,
			verify,
			logTheRequest,
			{ say: 'explain-split' },
			{ say: 'explain-suppression' },
			...eraseOn('no-longer-necessary'),
			{ say: 'tell-recipients' },
			...closeAndTell,
			{ say: 'summarise' },
			{ say: 'goodbye' },
			logTheCall
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		// The erasure applied the hold itself, citing the retention rule's authority, before erasing.
		const hold = play.events.find((e) => e.name === 'legal-hold.applied')!;
		expect(hold).toMatchObject({ subject: play.seedIds.gemma, details: { reasonCode: 'money-laundering-records' } });
		expect(hold.fields).toEqual(expect.arrayContaining(['givenName', 'familyName', 'dateOfBirth', 'identityDocumentRef', 'recentPayments']));
		expect(play.events.find((e) => e.name === 'recipients.notified')?.details).toMatchObject({ count: 1 });
		await expectModelAnswer(loaded, play);
	});

	it('MLR 2017 reg 41: after the erasure the held records are withheld for servicing, saying why and until when, and shown for the anti-money-laundering purpose', async () => {
		const play = await playthrough(loaded, [
			{ say: 'security-first' },
			findHer,
			verify,
			logTheRequest,
			{ say: 'explain-split' },
			{ say: 'explain-suppression' },
			...eraseOn('no-longer-necessary'),
			{ do: 'viewCustomer', input: (r) => ({ customerId: gemma(r), purposeCode: 'savings-account' }), as: 'servicing' },
			{ do: 'viewCustomer', input: (r) => ({ customerId: gemma(r), purposeCode: 'customer-due-diligence' }), as: 'aml' }
		]);
		const hold = play.events.find((e) => e.name === 'legal-hold.applied')!;
		expect(hold.details).toMatchObject({ reasonCode: 'money-laundering-records', purposeCode: 'customer-due-diligence', until: '2029-01-31' });
		const viewed = play.events.filter((e) => e.name === 'customer.viewed');
		// For servicing the held records are withheld; for the AML purpose they are shown.
		expect(viewed[0]?.details?.keptForHoldOnly).toEqual(expect.arrayContaining(['givenName', 'dateOfBirth', 'postcode']));
		expect(viewed[0]?.fields).toEqual([]);
		expect(viewed[1]?.fields).toEqual(expect.arrayContaining(['identityDocumentRef', 'recentPayments']));
		// Her health note, held on explicit consent, went with the rest.
		expect(play.events.find((e) => e.name === 'customer.erased')?.details).toMatchObject({ categories: 'all', counts: { health: 1 } });
	});

	it('mistake: promises to wipe everything, then releases the money laundering hold so that "everything" goes', async () => {
		const play = await playthrough(loaded, [
			{ say: 'promise-everything' },
			verify,
			{ say: 'wipe-it-all' },
			logTheRequest,
			...eraseOn('no-longer-necessary'),
			// The system kept the MLR records under a hold; releasing it erases them at once, as promised.
			{
				do: 'releaseLegalHold',
				input: (r) => ({ customerId: gemma(r), reason: 'Customer asked for everything to be deleted' })
			},
			{ say: 'not-our-problem' },
			{ say: 'goodbye' }
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		const released = play.events.find((e) => e.name === 'legal-hold.released')!;
		expect(released.details?.erasedFields).toEqual(expect.arrayContaining(['identityDocumentRef', 'recentPayments']));
		const result = await play.end();
		expect(missed(result)).toEqual(['aml-records-kept', 'explained-what-and-why', 'told-in-writing-with-reasons', 'recipients-told', 'call-logged', 'confirmed-understanding']);
		const verdict = expectVerdict(result, { passed: false, score: 56.3, criticalMisses: ['aml-records-kept'] });
		expect(verdict.reason).toMatch(/^MLR 2017 reg 40 and reg 41; UK GDPR Art 17\(3\)\(b\): Records the money laundering regulations require were erased/);
		expect(result.points.find((p) => p.id === 'aml-records-kept')!.evidence).toEqual([released.id]);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: refuses at first, offers only to unsubscribe, erases the marketing data alone and drops the suppression entry', async () => {
		const play = await playthrough(loaded, [
			{ say: 'refuse-everything' },
			{ say: 'check-properly' },
			findHer,
			verify,
			{ say: 'just-unsubscribe' },
			{ do: 'recordMarketingObjection', input: (r) => ({ customerId: gemma(r), channel: 'email' }) },
			{ say: 'explain-split' },
			{ say: 'no-suppression' },
			logTheRequest,
			...eraseOn('consent-withdrawn'),
			{ say: 'tell-recipients' },
			...closeAndTell,
			{ say: 'summarise' },
			{ say: 'goodbye' },
			logTheCall
		]);
		await expectMistake(loaded, play, ['erased-what-is-not-needed', 'suppression-kept', 'explained-what-and-why'], { passed: false, score: 75 });
		// Only the values held on consent went: the marketing preference, and the health note held on
		// explicit consent (Art 17(1)(b), Art 9(2)(a)); her account and contact details are still held.
		expect(play.events.find((e) => e.name === 'customer.erased')?.details).toMatchObject({ categories: 'selected', counts: { preferences: 1, health: 1 } });
		expect(eventIds(play, 'customer.suppressed')).toEqual([]);
	});

	it('mistake (Art 21(3)): tries to carry on marketing on "compelling grounds" after her objection', async () => {
		const play = await playthrough(loaded, [
			{ say: 'security-first' },
			findHer,
			verify,
			logTheRequest,
			{
				do: 'logRequest',
				input: (r) => ({ kind: 'objection', channel: 'phone', verbal: true, description: 'No more marketing emails', customerId: gemma(r), verificationId: r.id('verification') }),
				as: 'objection'
			},
			{ do: 'beginRequest', input: (r) => ({ requestId: r.id('objection') }) },
			{
				do: 'fulfilObjection',
				input: (r) => ({
					requestId: r.id('objection'),
					processing: { purposeCode: 'marketing', decision: 'continue', compellingGrounds: 'Former members are our best source of new ISA savers, which outweighs her wish.' }
				}),
				expectError: 'objection.direct-marketing-absolute'
			},
			{ say: 'explain-split' },
			{ say: 'explain-suppression' },
			...eraseOn('no-longer-necessary'),
			{ say: 'tell-recipients' },
			...closeAndTell,
			{ say: 'summarise' },
			{ say: 'goodbye' },
			logTheCall
		]);
		// The system refused; missing this point alone still reaches the pass mark.
		const result = await expectMistake(loaded, play, ['marketing-stopped'], { passed: true, score: 93.8 });
		// The core refused to let marketing continue, and recorded what was tried.
		expect(play.events.filter((e) => e.name === 'finding.recorded').map((e) => e.details?.code)).toEqual(['objection.direct-marketing-absolute']);
		expect(result.points.find((p) => p.id === 'marketing-stopped')?.feedback).toContain('Art 21(3)');
	});

	it('mistake: erases properly but never logs the request, and acts before verifying her', async () => {
		const play = await playthrough(loaded, [
			{ say: 'security-first' },
			{ say: 'thanks' },
			{ say: 'explain-split' },
			{ say: 'explain-suppression' },
			{
				do: 'logRequest',
				input: (r) => ({ kind: 'erasure', channel: 'letter', verbal: false, description: 'Erasure', customerId: gemma(r) }),
				as: 'erasure'
			},
			...eraseOn('no-longer-necessary'),
			{ say: 'tell-recipients' },
			...closeAndTell,
			{ say: 'summarise' },
			{ say: 'goodbye' },
			logTheCall
		]);
		// Erasing for an unverified caller is critical: it fails above the pass mark.
		await expectMistake(loaded, play, ['verified-before-acting', 'request-logged'], { passed: false, score: 81.3, criticalMisses: ['verified-before-acting'] });
		// In record mode the core let the unverified erasure happen, and recorded a finding.
		expect(play.events.filter((e) => e.name === 'finding.recorded').map((e) => e.details?.code)).toContain('request.requester.unverified');
	});

	it('mistake: refuses everything ("we keep it all for six years") and stops there', async () => {
		const play = await playthrough(loaded, [{ say: 'refuse-everything' }]);
		const result = await play.end();
		expect(result.endedEarly).toBe(true);
		// What only the absence of a mistake would have earned was never reached: nothing earned.
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual([
			'no-unauthorised-disclosure',
			'aml-records-kept',
			'verified-before-acting'
		]);
		expect(result.points.find((p) => p.id === 'explained-what-and-why')?.choices?.map((c) => c.quality)).toEqual(['poor']);
		expectVerdict(result, { passed: false, score: 0 });
		expectFeedbackFromFile(s, result);
	});
});
