/**
 * spouse-caller: a caller says she is the account holder's wife; no one is authorised on file.
 * Played through the runtime on the real core. (scenario-library.test.ts plays other mistakes.)
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectModelAnswer, expectReplayIdentical, loadedScenario, missed } from './support';

const loaded = loadedScenario('spouse-caller');
const s = loaded.scenario;
const daniel = (r: PlayRefs) => r.id('daniel');

const findTheAccount: Step = { do: 'searchCustomers', input: { name: 'Hughes', postcode: 'NN15 7QA', purposeCode: 'supply-and-billing' } };
const openTheAccount: Step = { do: 'viewCustomer', input: (r) => ({ customerId: daniel(r), purposeCode: 'supply-and-billing' }) };
const checkHerAuthority: Step = {
	do: 'checkAuthority',
	input: (r) => ({ customerId: daniel(r), thirdPartyId: 'none-on-file', categories: ['financial', 'contact'], action: 'receive-information' })
};
const logTheCall = (partyType: string): Step => ({
	do: 'logInteraction',
	input: (r) => ({
		customerId: daniel(r),
		channel: 'phone',
		direction: 'inbound',
		partyType,
		nature: 'Caller (his wife, no authority on file) asked for balance and payments and an address change',
		actionsTaken: ['Nothing disclosed', 'Explained how the account holder can add an authorised person']
	})
});

describe('spouse-caller', () => {
	it('model answer: checks the file for an authority, declines kindly, gives the way forward, logs the call as a third party', () => {
		const play = playthrough(loaded, [
			findTheAccount,
			{ say: 'bring-up-account' },
			openTheAccount,
			checkHerAuthority,
			{ say: 'explain-after-check' },
			{ say: 'empathise-and-explain' },
			{ say: 'explain-authority-route' },
			{ say: 'explain-address-needs-daniel' },
			{ say: 'check-understanding' },
			{ say: 'goodbye' },
			logTheCall('unauthorised-third-party')
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });
		expect(play.events.find((e) => e.name === 'third-party.authority.checked')?.details).toMatchObject({ found: false, inScope: false });
		expectModelAnswer(loaded, play);
	});

	it('mistake: refuses, then softens and "only" says the account is in credit with one payment this month', () => {
		const play = playthrough(loaded, [
			{ say: 'refuse-straight-away' },
			{ say: 'hint-at-it' },
			{ say: 'explain-address-needs-daniel' },
			{ say: 'check-understanding' },
			{ say: 'goodbye' },
			logTheCall('unauthorised-third-party')
		]);
		expect(play).toMatchObject({ node: 'call-ends-after-disclosure', ended: true });
		const result = play.end();
		expect(missed(result)).toEqual(['no-account-information-disclosed', 'checked-authority-before-declining', 'explained-and-offered-a-way-forward']);
		expect(result).toMatchObject({ passed: false, criticalMisses: ['no-account-information-disclosed'] });
		// A hint is a disclosure: the core logged it as unauthorised, to an unauthorised third party.
		const hint = play.events.find((e) => e.name === 'disclosure.made')!;
		expect(hint).toMatchObject({ fields: ['balance', 'recentPayments'], details: { authorised: false, recipientType: 'unauthorised-third-party' } });
		expect(result.points.find((p) => p.id === 'no-account-information-disclosed')!.evidence).toEqual(eventIds(play, 'disclosure.made'));
		expectFeedbackFromFile(s, result);
		expectReplayIdentical(loaded, play);
	});

	it('mistake: declines without checking the file, then agrees to change the address on her say-so', () => {
		const play = playthrough(loaded, [
			{ say: 'bring-up-account' },
			{ say: 'refuse-without-checking' },
			{ say: 'empathise-and-explain' },
			{ say: 'offer-to-speak-to-daniel' },
			{ say: 'agree-to-change' },
			{ say: 'goodbye' },
			logTheCall('unauthorised-third-party')
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });
		const result = play.end();
		expect(missed(result)).toEqual(['checked-authority-before-declining', 'address-not-changed', 'confirmed-understanding']);
		expect(result).toMatchObject({ passed: true });
		expectFeedbackFromFile(s, result);
	});
});
