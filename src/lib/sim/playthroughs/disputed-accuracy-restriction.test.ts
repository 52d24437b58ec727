/**
 * disputed-accuracy-restriction: in one call a customer disputes her date of birth and an arrears
 * figure, asks for restriction while they are checked, and objects to marketing. Played through the
 * runtime on the real core (its verification policy, request state machine, restriction (Art 18)
 * and objections (Art 21(3))).
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('disputed-accuracy-restriction');
const s = loaded.scenario;
const lorraine = (r: PlayRefs) => r.id('lorraine');

const findByReference: Step = { do: 'searchCustomers', input: { reference: 'KM-5531902', purposeCode: 'mobile-service' } };
/** Security on what the dispute does not touch: name, postcode, the mobile she calls from, her email. */
const verifyOnUndisputedItems: Step = {
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: lorraine(r),
		requesterType: 'data-subject',
		method: 'knowledge-based',
		supplied: { givenName: 'Lorraine', familyName: 'Haworth', postcode: 'BL1 7HR', mobilePhone: '07700 900712', email: 'lorraine.haworth@example.com' }
	}),
	as: 'verification'
};
const verifyWithHerDateOfBirth: Step = {
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: lorraine(r),
		requesterType: 'data-subject',
		method: 'knowledge-based',
		supplied: { givenName: 'Lorraine', familyName: 'Haworth', dateOfBirth: '14/07/1967' }
	})
};
const logRestrictionRequest: Step = {
	do: 'logRequest',
	input: (r) => ({
		kind: 'restriction',
		channel: 'phone',
		verbal: true,
		description: 'Disputes arrears of 187.50 (says she paid 95.00 by card on 10 Feb) and her date of birth (1967, not 1962). Asks us not to use them, or refer her to debt collectors, while they are checked.',
		customerId: lorraine(r),
		verificationId: r.id('verification'),
		particulars: { fields: ['arrears', 'dateOfBirth'] }
	}),
	as: 'request'
};
const restrictWhileChecked: Step[] = [
	{ do: 'beginRequest', input: (r) => ({ requestId: r.id('request') }) },
	{
		do: 'fulfilRestriction',
		input: (r) => ({
			requestId: r.id('request'),
			fields: ['arrears', 'dateOfBirth'],
			ground: 'accuracy-contested',
			reason: 'Customer disputes both; Payments investigating the 95.00 card payment; date of birth to be evidenced'
		})
	}
];
const objectToAllMarketing: Step = { do: 'recordMarketingObjection', input: (r) => ({ customerId: lorraine(r), channel: 'all' }) };
const logTheCall: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: lorraine(r),
		channel: 'phone',
		direction: 'inbound',
		partyType: 'data-subject',
		nature: 'Disputed arrears and date of birth; restriction requested; marketing objection',
		actionsTaken: ['Arrears and date of birth restricted (contested)', 'Payments investigation raised', 'All marketing stopped']
	})
};

describe('disputed-accuracy-restriction', () => {
	it('model answer: verifies on undisputed items, refers the payment, restricts both values, stops all marketing, logs', async () => {
		const play = await playthrough(loaded, [
			{ say: 'take-security' },
			findByReference,
			verifyOnUndisputedItems,
			{ say: 'refer-to-payments' },
			logRestrictionRequest,
			{ say: 'explain-restriction' },
			...restrictWhileChecked,
			objectToAllMarketing,
			{ say: 'stop-all-now' },
			{ say: 'summarise' },
			{ say: 'goodbye' },
			{ do: 'completeRequest', input: (r) => ({ requestId: r.id('request'), channel: 'phone' }) },
			logTheCall
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		// Both live marketing consents went with the objection, at once.
		expect(play.events.filter((e) => e.name === 'consent.withdrawn').map((e) => e.details?.channel).sort()).toEqual(['email', 'sms']);
		await expectModelAnswer(loaded, play);
	});

	it('mistake: fails her on the disputed date of birth, takes £95 off on her word, offers to delete, delays marketing', async () => {
		const play = await playthrough(loaded, [
			{ say: 'ask-dob' },
			verifyWithHerDateOfBirth,
			{ say: 'refuse-on-mismatch' },
			{ say: 'recover' },
			verifyOnUndisputedItems,
			{ say: 'take-it-off' },
			{ do: 'correctField', input: (r) => ({ customerId: lorraine(r), field: 'arrears', newValue: '92.50', reason: 'Customer says she paid 95.00' }) },
			{ say: 'delete-them' },
			{ say: 'twenty-eight-days' },
			{ say: 'goodbye' }
		]);
		expect(play.events.find((e) => e.name === 'identity.verification.failed')?.details).toMatchObject({ itemsMismatched: ['dateOfBirth'] });
		const result = await play.end();
		expect(missed(result)).toEqual([
			'verified-with-undisputed-items',
			'flagged-as-contested',
			'restricted-while-checked',
			'nothing-changed-on-her-word',
			'sought-support-from-payments',
			'rights-explained',
			'marketing-stopped-at-once',
			'rights-requests-logged',
			'call-logged-after-changes',
			'confirmed-understanding'
		]);
		// Taking £95 off on her word is critical: it fails whatever else was done.
		const verdict = expectVerdict(result, { passed: false, score: 18.8, criticalMisses: ['nothing-changed-on-her-word'] });
		expect(verdict.reason).toMatch(/^UK GDPR Art 5\(1\)\(d\) and Art 18\(1\)\(a\).*: You changed, deleted or wrote off a disputed value on her word/);
		expect(result.points.find((p) => p.id === 'nothing-changed-on-her-word')?.choices?.map((c) => c.choice)).toEqual(['take-it-off', 'delete-them']);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: does everything else right but promises to take the £95 off on her word: critical, whatever the score', async () => {
		const play = await playthrough(loaded, [
			{ say: 'take-security' },
			findByReference,
			verifyOnUndisputedItems,
			{ say: 'take-it-off' },
			logRestrictionRequest,
			{ say: 'explain-restriction' },
			...restrictWhileChecked,
			objectToAllMarketing,
			{ say: 'stop-all-now' },
			{ say: 'summarise' },
			{ say: 'goodbye' },
			{ do: 'completeRequest', input: (r) => ({ requestId: r.id('request'), channel: 'phone' }) },
			logTheCall
		]);
		// The promise replaced the referral to Payments, so that point goes too; the critical miss alone would fail it.
		await expectMistake(loaded, play, ['nothing-changed-on-her-word', 'sought-support-from-payments'], { passed: false, score: 78.1, criticalMisses: ['nothing-changed-on-her-word'] });
	});

	it('mistake: asks for the date of birth she disputes, turns her away on the mismatch, and stops there', async () => {
		const play = await playthrough(loaded, [
			{ say: 'ask-dob' },
			findByReference,
			verifyWithHerDateOfBirth,
			{ say: 'refuse-on-mismatch' }
		]);
		const result = await play.end();
		expect(result.endedEarly).toBe(true);
		// What only the absence of a mistake would have earned was never reached: nothing earned.
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual([
			'no-unauthorised-disclosure',
			'dispute-taken-seriously',
			'nothing-changed-on-her-word'
		]);
		expectVerdict(result, { passed: false, score: 0 });
		expectFeedbackFromFile(s, result);
	});

	it('mistake: argues first, flags the values but refuses to restrict, and stops only emails', async () => {
		const play = await playthrough(loaded, [
			{ say: 'system-is-right' },
			{ say: 'recover' },
			findByReference,
			verifyOnUndisputedItems,
			{ say: 'refer-to-payments' },
			...(['arrears', 'dateOfBirth'] as const).map(
				(field): Step => ({ do: 'contestField', input: (r) => ({ customerId: lorraine(r), field, reason: 'Customer disputes it' }) })
			),
			{ say: 'cannot-stop' },
			{ do: 'recordMarketingObjection', input: (r) => ({ customerId: lorraine(r), channel: 'email' }) },
			{ say: 'reply-stop' },
			{ say: 'summarise' },
			{ say: 'goodbye' },
			logTheCall
		]);
		await expectMistake(loaded, play, ['dispute-taken-seriously', 'restricted-while-checked', 'rights-explained', 'marketing-stopped-at-once', 'rights-requests-logged', 'call-logged-after-changes'], { passed: false, score: 59.4 });
	});

	it('mistake (Art 18(2), Art 21(3)): once restricted, the arrears cannot be changed or shown for servicing; asking to carry on marketing on "compelling grounds" is refused and missed', async () => {
		const play = await playthrough(loaded, [
			{ say: 'take-security' },
			findByReference,
			verifyOnUndisputedItems,
			{ say: 'refer-to-payments' },
			logRestrictionRequest,
			{ say: 'explain-restriction' },
			...restrictWhileChecked,
			// Servicing cannot use a restricted value: the record shows it restricted, and a correction outside a request is refused.
			{ do: 'viewCustomer', input: (r) => ({ customerId: lorraine(r), purposeCode: 'mobile-service' }) },
			{
				do: 'correctField',
				input: (r) => ({ customerId: lorraine(r), field: 'arrears', newValue: '92.50', reason: 'Customer says she paid 95.00' }),
				expectError: 'field.restricted'
			},
			{
				do: 'logRequest',
				input: (r) => ({ kind: 'objection', channel: 'phone', verbal: true, description: 'Stop all marketing', customerId: lorraine(r), verificationId: r.id('verification') }),
				as: 'objection'
			},
			{
				do: 'fulfilObjection',
				input: (r) => ({ requestId: r.id('objection'), processing: { purposeCode: 'marketing', decision: 'continue', compellingGrounds: 'She is on our best tariff and our offers would save her money on it.' } }),
				expectError: 'objection.direct-marketing-absolute'
			},
			objectToAllMarketing,
			{ say: 'stop-all-now' },
			{ say: 'summarise' },
			{ say: 'goodbye' },
			{ do: 'completeRequest', input: (r) => ({ requestId: r.id('request'), channel: 'phone' }) },
			logTheCall
		]);
		const viewed = play.events.find((e) => e.name === 'customer.viewed')!;
		expect(viewed.details?.restricted).toEqual(expect.arrayContaining(['arrears']));
		expect(viewed.fields).not.toContain('arrears');
		// Missing the marketing point alone still reaches the pass mark.
		const result = await expectMistake(loaded, play, ['marketing-stopped-at-once'], { passed: true, score: 90.6 });
		expect(result.points.find((p) => p.id === 'nothing-changed-on-her-word')?.met).toBe(true);
	});
});
