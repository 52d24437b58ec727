/**
 * spouse-caller: a caller says she is the account holder's wife; no one is authorised on file.
 * Played through the runtime on the real core. (scenario-library.test.ts plays other mistakes.)
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

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
	it('model answer: checks the file for an authority, declines kindly, gives the way forward, logs the call as a third party', async () => {
		const play = await playthrough(loaded, [
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
		await expectModelAnswer(loaded, play);
	});

	it('mistake: refuses, then softens and "only" says the account is in credit with one payment this month', async () => {
		const play = await playthrough(loaded, [
			{ say: 'refuse-straight-away' },
			{ say: 'hint-at-it' },
			{ say: 'explain-address-needs-daniel' },
			{ say: 'check-understanding' },
			{ say: 'goodbye' },
			logTheCall('unauthorised-third-party')
		]);
		expect(play).toMatchObject({ node: 'call-ends-after-disclosure', ended: true });
		// 28 available: the critical point (6), the check (2) and the way forward (3) lost.
		const result = await expectMistake(loaded, play, ['no-account-information-disclosed', 'checked-authority-before-declining', 'explained-and-offered-a-way-forward'], { passed: false, score: 60.7, criticalMisses: ['no-account-information-disclosed'] });
		// A hint is a disclosure: the core logged it as unauthorised, to an unauthorised third party.
		const hint = play.events.find((e) => e.name === 'disclosure.made')!;
		expect(hint).toMatchObject({ fields: ['balance', 'recentPayments'], details: { authorised: false, recipientType: 'unauthorised-third-party' } });
		// The evidence: the disclosure the core logged, and the critical choice that made it.
		expect(result.points.find((p) => p.id === 'no-account-information-disclosed')!.evidence).toEqual([...eventIds(play, 'disclosure.made'), play.events.find((e) => e.name === 'choice.made' && e.details?.choice === 'hint-at-it')!.id]);
	});

	it('mistake: declines without checking the file, then agrees to change the address on her say-so', async () => {
		const play = await playthrough(loaded, [
			{ say: 'bring-up-account' },
			{ say: 'refuse-without-checking' },
			{ say: 'empathise-and-explain' },
			{ say: 'offer-to-speak-to-daniel' },
			{ say: 'agree-to-change' },
			{ say: 'goodbye' },
			logTheCall('unauthorised-third-party')
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });
		const result = await play.end();
		expect(missed(result)).toEqual(['checked-authority-before-declining', 'address-not-changed', 'confirmed-understanding']);
		// No critical point missed, but 22 of 28 is below the pass mark.
		const verdict = expectVerdict(result, { passed: false, score: 78.6 });
		expect(verdict.headline).toBe('Not passed — score below the pass mark');
		expect(verdict.reason).toContain("Northwind's data protection policy: check for a recorded authority before you decline: You didn't check the account");
		expectFeedbackFromFile(s, result);
	});

	it('mistake (the classic): checks the file, finds no authority, declines, then gives in and tells her the balance', async () => {
		const play = await playthrough(loaded, [
			findTheAccount,
			{ say: 'bring-up-account' },
			openTheAccount,
			checkHerAuthority,
			{ say: 'explain-after-check' },
			{ say: 'give-in' },
			{ say: 'stop-and-explain' },
			{ say: 'explain-authority-route' },
			{ say: 'explain-address-needs-daniel' },
			{ say: 'check-understanding' },
			{ say: 'goodbye' },
			logTheCall('unauthorised-third-party')
		]);
		expect(play).toMatchObject({ node: 'call-ends-after-disclosure', ended: true });
		const result = await play.end();
		// Everything else done well: under the old rule this showed "Not passed" beside "100 %, 22 of 22".
		expect(missed(result)).toEqual(['no-account-information-disclosed']);
		expect(result).toMatchObject({ earned: 22, possible: 28 });
		const verdict = expectVerdict(result, { passed: false, score: 78.6, criticalMisses: ['no-account-information-disclosed'] });
		expect(verdict.headline).toBe('Not passed — 1 critical error');
		expect(verdict.reason).toBe("UK GDPR Art 5(1)(f): integrity and confidentiality; DPA 2018 s170: You told Mrs Hughes about her husband's account.");
		// The critical choice is the evidence, beside the disclosure it made, and the breach opened.
		const point = result.points.find((p) => p.id === 'no-account-information-disclosed')!;
		expect(point.choices).toEqual([expect.objectContaining({ choice: 'give-in', quality: 'critical', credit: 0 })]);
		expect(point.evidence).toEqual([...eventIds(play, 'disclosure.made'), point.choices![0]!.eventId]);
		expect(play.events.filter((e) => e.name === 'breach.registered')).toHaveLength(1);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: refuses straight away and does nothing else (no check, no explanation, no log): she hangs up, and it does not pass', async () => {
		const play = await playthrough(loaded, [{ say: 'refuse-straight-away' }, { say: 'rules-are-rules' }]);
		expect(play).toMatchObject({ node: 'caller-hangs-up', ended: true });
		const result = await play.end();
		expect(result.endedEarly).toBe(true);
		// Nothing was disclosed only because the call was cut short: those points were not reached and earn nothing.
		const notReached = result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id);
		expect(notReached).toEqual(['no-account-information-disclosed', 'nothing-read-out', 'not-treated-as-account-holder', 'address-not-changed', 'no-unkeepable-promise']);
		expect(result.points.filter((p) => p.outcome === 'missed').map((p) => p.id)).toEqual([
			'checked-authority-before-declining',
			'explained-and-offered-a-way-forward',
			'call-logged',
			'call-logged-as-third-party',
			'call-logged-promptly',
			'confirmed-understanding'
		]);
		const verdict = expectVerdict(result, { passed: false, score: 0 });
		expect(verdict.headline).toBe('Not passed — score below the pass mark');
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: refuses straight away and ends the attempt there', async () => {
		const play = await playthrough(loaded, [{ say: 'refuse-straight-away' }]);
		expect(play).toMatchObject({ node: 'caller-objects', ended: false });
		const result = await play.end();
		expect(result.endedEarly).toBe(true);
		expect(missed(result)).toEqual(s.marking.map((p) => p.id));
		expectVerdict(result, { passed: false, score: 0 });
	});
});
