/**
 * lpa-attorney-caller: a son calls holding his mother's lasting powers of attorney. The one on file
 * is for health and welfare; his property and financial affairs LPA is on the OPG register.
 * Played through the runtime on the real core.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('lpa-attorney-caller');
const s = loaded.scenario;
const margaret = (r: PlayRefs) => r.id('margaret');

const findTheAccount: Step = { do: 'searchCustomers', input: { name: 'Ellis', postcode: 'NN8 4TL', purposeCode: 'supply-and-billing' } };
const openTheAccount: Step = { do: 'viewCustomer', input: (r) => ({ customerId: margaret(r), purposeCode: 'supply-and-billing' }) };
const checkTheLpaOnFile: Step = {
	do: 'checkAuthority',
	input: (r) => ({ customerId: margaret(r), thirdPartyId: r.id('peter-welfare-lpa'), categories: ['financial'], action: 'receive-information' })
};
const checkTheRegister: Step = { do: 'checkOpgRegister', input: (r) => ({ reference: '7000 4821 3366', attorneyName: 'Peter Ellis', customerId: margaret(r) }) };
const recordTheFinancialLpa: Step = {
	do: 'authoriseThirdParty',
	as: 'pfa',
	input: (r) => ({
		customerId: margaret(r),
		name: 'Peter Ellis',
		relationship: 'son',
		authorityType: 'lasting-power-of-attorney',
		lpaType: 'property-and-financial-affairs',
		evidenceRef: 'OPG LPA 7000-4821-3366, registered 10 May 2023, checked on the OPG register',
		scopeCategories: ['all'],
		scopeActions: ['receive-information', 'make-changes'],
		validFrom: '2025-06-12'
	})
};
const verifyTheAttorney: Step = {
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: margaret(r),
		requesterType: 'authorised-third-party',
		thirdPartyId: r.id('pfa'),
		method: 'knowledge-based',
		supplied: { thirdPartyName: 'Peter Ellis', dateOfBirth: '11/02/1941', postcode: 'NN8 4TL' },
		requesterName: 'Peter Ellis',
		channel: 'phone'
	})
};
const logTheCall = (thirdParty?: string): Step => ({
	do: 'logInteraction',
	input: (r) => ({
		customerId: margaret(r),
		channel: 'phone',
		direction: 'inbound',
		partyType: 'authorised-third-party',
		...(thirdParty === undefined ? {} : { thirdPartyId: r.id(thirdParty) }),
		nature: 'Son (attorney) asked about the balance and where the bills go',
		actionsTaken: ['Checked the LPA on the OPG register', 'Recorded the property and financial affairs LPA']
	})
});

/** The account found and opened, the welfare LPA on file checked and explained, and the OPG register checked. */
const registerChecked: Step[] = [findTheAccount, { say: 'bring-up-account' }, openTheAccount, checkTheLpaOnFile, { say: 'explain-welfare-lpa' }, { say: 'say-checking-register' }, checkTheRegister];
/** The account found and opened and the LPA on file checked. */
const lpaOnFileChecked: Step[] = [findTheAccount, { say: 'bring-up-account' }, openTheAccount, checkTheLpaOnFile];
/** Mr Ellis helped as his financial LPA allows, his understanding checked, the call logged. */
const helpedAndLogged: Step[] = [{ say: 'give-balance' }, { say: 'agree-bills' }, { say: 'check-understanding' }, logTheCall('pfa')];

describe('lpa-attorney-caller', () => {
	it('model answer: checks the LPA on file, asks for the financial one, checks it on the register, records it, verifies him, then helps', async () => {
		const play = await playthrough(loaded, [
			...registerChecked,
			{ say: 'confirm-and-record' },
			recordTheFinancialLpa,
			verifyTheAttorney,
			...helpedAndLogged
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });
		// The health and welfare LPA on file reached nothing financial, whatever scope it was recorded with.
		expect(play.events.find((e) => e.name === 'third-party.authority.checked')?.details).toMatchObject({ found: true, inScope: false, lpaType: 'health-and-welfare', gaps: ['lpa-type-not-in-scope'] });
		// The register lookup is in the attempt's log, with what it found.
		expect(play.events.find((e) => e.name === 'authority.register.checked')).toMatchObject({
			source: 'core',
			subject: play.seedIds.margaret,
			details: { found: true, matches: 1, lpaType: 'property-and-financial-affairs', status: 'registered', attorneyListed: true }
		});
		// The variables were set by choices, as events in the log.
		expect(play.events.filter((e) => e.name === 'variable.set').map((e) => e.details)).toEqual([
			{ node: 'authority-checked', choice: 'explain-welfare-lpa', name: 'asked-about-pfa', value: true },
			{ node: 'reads-reference', choice: 'say-checking-register', name: 'told-about-register-check', value: true }
		]);
		// He was told the balance under the financial LPA he was verified against.
		expect(play.events.find((e) => e.name === 'disclosure.made')).toMatchObject({ fields: ['balance', 'recentPayments'], details: { authorised: true, recipientType: 'authorised-third-party' } });
		const result = await expectModelAnswer(loaded, play);
		expect(result.points.find((p) => p.id === 'explained-lpa-types')!.evidence).toEqual([play.events.find((e) => e.name === 'variable.set')!.id]);
	});

	it('mistake: acts on the health and welfare LPA for her money, and agrees to redirect the bills', async () => {
		const play = await playthrough(loaded, [
			...lpaOnFileChecked,
			{ say: 'give-balance-anyway' },
			{ say: 'agree-bills' },
			{ say: 'goodbye' },
			logTheCall('peter-welfare-lpa')
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });
		const disclosure = play.events.find((e) => e.name === 'disclosure.made')!;
		expect(disclosure).toMatchObject({ fields: ['balance'], details: { authorised: false, recipientType: 'authorised-third-party' } });
		const result = await play.end();
		expect(missed(result)).toEqual([
			'no-disclosure-beyond-authority',
			'helped-the-attorney',
			'explained-lpa-types',
			'recorded-financial-lpa',
			'verified-the-attorney',
			'told-about-register-check',
			'bills-only-on-financial-authority',
			'confirmed-understanding'
		]);
		// 29 available: only the checks (the LPA on file 2, the register not relied on 4) and the log (2) earned.
		const verdict = expectVerdict(result, { passed: false, score: 27.6, criticalMisses: ['no-disclosure-beyond-authority'] });
		expect(verdict.reason).toContain('Mental Capacity Act 2005 s9(1)');
		const point = result.points.find((p) => p.id === 'no-disclosure-beyond-authority')!;
		expect(point.evidence).toEqual([disclosure.id, play.events.find((e) => e.name === 'choice.made' && e.details?.choice === 'give-balance-anyway')!.id]);
		expect(play.events.filter((e) => e.name === 'breach.registered')).toHaveLength(1);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: takes the financial LPA on his word, records it and tells him the balance without checking the register', async () => {
		const play = await playthrough(loaded, [
			...lpaOnFileChecked,
			{ say: 'explain-welfare-lpa' },
			{ say: 'accept-without-checking' },
			recordTheFinancialLpa,
			verifyTheAttorney,
			...helpedAndLogged
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });
		expect(eventIds(play, 'authority.register.checked')).toEqual([]);
		const result = await play.end();
		expect(missed(result)).toEqual(['checked-opg-register', 'told-about-register-check']);
		// 24 of 29 is above the pass mark: the critical miss alone fails it.
		const verdict = expectVerdict(result, { passed: false, score: 82.8, criticalMisses: ['checked-opg-register'] });
		expect(verdict.headline).toBe('Not passed — 1 critical error');
		expect(verdict.reason).toContain('Mental Capacity Act 2005 Sch 1 para 1');
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake (over-cautious): checks the register, finds his financial LPA registered, and still refuses him: he hangs up', async () => {
		const play = await playthrough(loaded, [
			...registerChecked,
			{ say: 'refuse-registered' },
			logTheCall('peter-welfare-lpa')
		]);
		expect(play).toMatchObject({ node: 'call-ends-refused', ended: true });
		const result = await play.end();
		expect(result.endedEarly).toBe(true);
		expect(result.criticalMisses).toEqual([]);
		const point = result.points.find((p) => p.id === 'helped-the-attorney')!;
		expect(point).toMatchObject({ met: false, choices: [expect.objectContaining({ choice: 'refuse-registered', quality: 'poor', credit: 0 })] });
		expect(missed(result)).toEqual(expect.arrayContaining(['helped-the-attorney', 'recorded-financial-lpa', 'verified-the-attorney', 'confirmed-understanding']));
		// The call ended early: what is proved only by no mistake (nothing disclosed, nothing unchecked) earns nothing; 7 of 29.
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual(['no-disclosure-beyond-authority', 'checked-opg-register', 'bills-only-on-financial-authority']);
		const verdict = expectVerdict(result, { passed: false, score: 24.1 });
		expect(verdict.headline).toBe('Not passed — score below the pass mark');
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: refuses him straight away and again when he says he has the financial LPA, with no check, no explanation and no log: he hangs up', async () => {
		const play = await playthrough(loaded, [{ say: 'refuse-straight-away' }, { say: 'refuse-again' }]);
		expect(play).toMatchObject({ node: 'call-ends-refused', ended: true });
		const result = await play.end();
		expect(result.endedEarly).toBe(true);
		// Nothing disclosed, nothing relied on unchecked: proved only by no mistake in a call cut short, so not reached.
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual(['no-disclosure-beyond-authority', 'checked-opg-register', 'bills-only-on-financial-authority']);
		expect(result.points.find((p) => p.id === 'helped-the-attorney')!.choices).toEqual([expect.objectContaining({ choice: 'refuse-again', quality: 'poor', credit: 0 })]);
		expect(result.points.find((p) => p.id === 'checked-authority-on-file')!.choices).toEqual([expect.objectContaining({ choice: 'refuse-straight-away', quality: 'poor', credit: 0 })]);
		const verdict = expectVerdict(result, { passed: false, score: 0 });
		expect(verdict.headline).toBe('Not passed — score below the pass mark');
		expect(verdict.reason).toContain("Northwind's policy: someone with the right authority is entitled to help: You didn't give Mr Ellis the help");
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: refuses before checking the file, then recovers: asks for the financial LPA, checks it and helps him', async () => {
		const play = await playthrough(loaded, [
			findTheAccount,
			{ say: 'refuse-straight-away' },
			{ say: 'ask-for-pfa' },
			{ say: 'say-checking-register' },
			checkTheRegister,
			{ say: 'confirm-and-record' },
			recordTheFinancialLpa,
			verifyTheAttorney,
			...helpedAndLogged
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });
		// 25 of 29: the refusal cost the check of the file (2) and the explanation (2), and no more.
		await expectMistake(loaded, play, ['checked-authority-on-file', 'explained-lpa-types'], { passed: true, score: 86.2 });
	});

	it('mistake: checks and records the financial LPA, then tells him the balance before verifying him', async () => {
		const play = await playthrough(loaded, [
			...registerChecked,
			{ say: 'confirm-and-record' },
			recordTheFinancialLpa,
			...helpedAndLogged
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });
		const disclosure = play.events.find((e) => e.name === 'disclosure.made')!;
		expect(disclosure.details).toMatchObject({ authorised: false });
		const result = await play.end();
		expect(missed(result)).toEqual(['no-disclosure-beyond-authority', 'helped-the-attorney', 'verified-the-attorney']);
		const verdict = expectVerdict(result, { passed: false, score: 58.6, criticalMisses: ['no-disclosure-beyond-authority'] });
		expect(verdict.headline).toBe('Not passed — 1 critical error');
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('a refusal before asking reaches the financial LPA by another way: the branch on the variable, and no credit for explaining first', async () => {
		const play = await playthrough(loaded, [
			findTheAccount,
			{ say: 'refuse-straight-away' },
			{ say: 'ask-for-pfa' },
			{ say: 'say-checking-register' },
			{ do: 'checkOpgRegister', input: { donorName: 'Margaret Ellis', attorneyName: 'Peter Ellis' } }
		]);
		// Not asked first: the variable kept its initial value, so the branch went the other way.
		expect(play.events.filter((e) => e.name === 'variable.set').map((e) => e.details?.name)).toEqual(['told-about-register-check']);
		expect(play.outcomes.some((o) => o.transcript.some((t) => t.text.includes('I did tell you I had it')))).toBe(true);
		// A search by the donor's name lists all three of her LPAs, so no single type or status.
		expect(play.events.find((e) => e.name === 'authority.register.checked')?.details).toMatchObject({ found: true, matches: 3, lpaType: null, status: null, attorneyListed: true });
		expect(play.node).toBe('register-checked');
	});
});
