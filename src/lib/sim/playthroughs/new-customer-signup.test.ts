/**
 * new-customer-signup: a new customer sets up her account by phone. Collect what the purpose
 * needs, validated, consent per purpose and channel, read back, log. Played through the runtime on
 * the real core. (scenario-library.test.ts plays other mistakes.)
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type Step } from '../testing';
import { expectFeedbackFromFile, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('new-customer-signup');
const s = loaded.scenario;

const priya = {
	title: 'Ms',
	givenName: 'Priya',
	familyName: 'Shah',
	dateOfBirth: '23/11/1996',
	addressLine1: 'Flat 4, 27 Mill Lane',
	town: 'Rothwell',
	postcode: 'NN14 6BE',
	email: 'priya.shah88@outlook.com',
	mobilePhone: '07700 900461',
	supplyStartDate: '2025-03-08',
	tariff: 'Standard Variable (dual fuel)',
	paymentMethod: 'Monthly Direct Debit'
};
const recordPriya: Step = { do: 'recordCustomer', input: { purposeCodes: ['supply-and-billing'], fields: priya }, as: 'priya' };
const emailConsent: Step = {
	do: 'giveConsent',
	input: (r) => ({
		customerId: r.id('priya'),
		purposeCode: 'marketing',
		channel: 'email',
		method: 'verbal-documented',
		noticeVersion: 'PN-2025.1',
		evidenceRef: 'Call recording 2025-03-05 10:15'
	})
};
const readBack: Step = {
	do: 'readBack',
	input: (r) => ({ customerId: r.id('priya'), fields: ['givenName', 'familyName', 'addressLine1', 'town', 'postcode', 'email', 'mobilePhone', 'supplyStartDate'] })
};
const logTheCall: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: r.id('priya'),
		channel: 'phone',
		direction: 'inbound',
		partyType: 'data-subject',
		nature: 'New account',
		actionsTaken: ['Account opened', 'Email marketing consent recorded (verbal, documented)', 'Details read back']
	})
};

describe('new-customer-signup', () => {
	it('model answer: collects only what the account needs, validated, consent for email only, read back and logged', async () => {
		const play = await playthrough(loaded, [
			{ say: 'start-properly' },
			{ say: 'ask-address' },
			{ say: 'look-up-address' },
			{ do: 'searchCustomers', input: { postcode: 'NN14 6BE', purposeCode: 'supply-and-billing' } },
			{ say: 'reassure-without-disclosing' },
			{ say: 'ask-to-spell' },
			{ say: 'thank' },
			{ say: 'decline-partner' },
			{ say: 'explain-payment' },
			recordPriya,
			{ say: 'explain-and-confirm' },
			emailConsent,
			{ say: 'noted' },
			{ say: 'about-to-read-back' },
			readBack,
			{ say: 'explain-next-steps' },
			{ say: 'goodbye' },
			logTheCall
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		expect(play.events.find((e) => e.name === 'consent.given')?.details).toMatchObject({ purposeCode: 'marketing', channel: 'email', method: 'verbal-documented' });
		await expectModelAnswer(loaded, play);
	});

	it('mistake: takes the partner’s details, signs her up to marketing as part of the account, and skips the read-back', async () => {
		const play = await playthrough(loaded, [
			{ say: 'start-properly' },
			{ say: 'ask-address' },
			{ say: 'look-up-address' },
			{ say: 'reassure-without-disclosing' },
			{ say: 'ask-to-spell' },
			{ say: 'thank' },
			{ say: 'take-partner' },
			{ say: 'carry-on' },
			{ say: 'explain-payment' },
			recordPriya,
			{ say: 'sign-up-to-everything' },
			emailConsent,
			{ say: 'noted' },
			{ say: 'finish-without-read-back' },
			logTheCall
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		const result = await play.end();
		expect(missed(result)).toEqual(['no-unneeded-questions', 'details-read-back', 'consent-informed-and-unbundled', 'confirmed-next-steps']);
		// No critical point missed, but 33 of 43 is below the pass mark.
		expect(result).toMatchObject({ earned: 33, possible: 43 });
		const verdict = expectVerdict(result, { passed: false, score: 76.7 });
		expect(verdict.reason).toContain("First point missed: UK GDPR Art 5(1)(c): data minimisation: You asked for, or accepted, details the account doesn't need");
		expect(result.points.find((p) => p.id === 'consent-informed-and-unbundled')!.choices).toEqual([
			expect.objectContaining({ choice: 'sign-up-to-everything', quality: 'poor', credit: 0 })
		]);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});
});
