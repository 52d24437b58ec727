/**
 * The scenario library: every file passes the checker and starts on the real core, and common
 * mistakes in two scenarios miss exactly the points they should, with the feedback the file gives
 * (their model answers are played in playthroughs/, one file per scenario). Every playthrough runs
 * through the runtime: the learner's choices, and core operations with the input a learner would type.
 */
import { describe, expect, it } from 'vitest';
import { closeTestDatabase, openTestDatabase } from '../core/testing-database';
import { verifyAuditChain } from '../core';
import { formatScenarioError, loadScenarios } from './scenario-check';
import { expectFeedbackFromFile, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './playthroughs/support';
import { startAttempt } from './runtime';
import { playthrough, type Step } from './testing';

const library = loadScenarios('scenarios');

describe('the scenario library', () => {
	it('passes the checker, every file', () => {
		expect(library.errors.map(formatScenarioError)).toEqual([]);
		expect(library.scenarios.map((s) => s.scenario.id)).toEqual(expect.arrayContaining(['new-customer-signup', 'spouse-caller']));
		for (const loaded of library.scenarios) expect(loaded.version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
	});

	it.each(library.scenarios.map((l) => [l.scenario.id, l] as const))('%s starts on the real core: its seed is accepted and every seed key has a record', async (_id, loaded) => {
		const db = await openTestDatabase();
		const started = await startAttempt(db, loaded, { ownerId: 'learner-1', seed: 'library' });
		if (!started.ok) throw new Error(started.error.message);
		const s = loaded.scenario.seed;
		const keys = [s.customers, s.consents, s.thirdParties, s.interactions, s.disclosures, s.requests, s.breaches].flatMap((list) => list.map((r) => r.key));
		expect(Object.keys(started.value.seedIds).sort()).toEqual([...keys].sort());
		expect((await verifyAuditChain(db, started.value.workspaceId)).ok).toBe(true);
		closeTestDatabase(db);
	});
});

describe('spouse-caller', () => {
	const loaded = loadedScenario('spouse-caller');
	const s = loaded.scenario;
	const daniel = (r: { id(name: string): string }) => r.id('daniel');
	const logTheCall = (partyType: string): Step => ({
		do: 'logInteraction',
		input: (r) => ({ customerId: daniel(r), channel: 'phone', direction: 'inbound', partyType, nature: 'Balance enquiry and change of address' })
	});
	const openTheAccount: Step = { do: 'viewCustomer', input: (r) => ({ customerId: daniel(r), purposeCode: 'supply-and-billing' }) };
	// No third party is on file: the learner checks for one the caller could be and finds none.
	const checkHerAuthority: Step = {
		do: 'checkAuthority',
		input: (r) => ({ customerId: daniel(r), thirdPartyId: 'none-on-file', categories: ['financial'], action: 'receive-information' })
	};
	/** Time passing while the learner works on other things in the record. */
	const busy = (minutes: number): Step[] => Array.from({ length: minutes }, () => openTheAccount);

	it('mistake: lets the wife through his security and does everything she asks', async () => {
		const play = await playthrough(loaded, [
			{ say: 'ask-his-security' },
			{
				do: 'verifyIdentity',
				input: (r) => ({
					customerId: daniel(r),
					requesterType: 'data-subject',
					method: 'knowledge-based',
					supplied: { givenName: 'Daniel', familyName: 'Hughes', dateOfBirth: '18/04/1979', postcode: 'NN15 7QA' }
				})
			},
			{ say: 'security-passed-give-balance' },
			{ say: 'give-payments' },
			{ say: 'agree-to-change' },
			...(['addressLine1', 'town', 'postcode'] as const).map(
				(field): Step => ({
					do: 'correctField',
					input: (r) => ({ customerId: daniel(r), field, newValue: { addressLine1: '3 Orchard Way', town: 'Burton Latimer', postcode: 'NN15 5RE' }[field], reason: 'Moved house' })
				})
			),
			{ say: 'goodbye' },
			logTheCall('data-subject')
		]);
		expect(play.node).toBe('call-ends-after-disclosure');

		const result = await play.end();
		expect(missed(result)).toEqual([
			'no-account-information-disclosed',
			'not-treated-as-account-holder',
			'checked-authority-before-declining',
			'address-not-changed',
			'explained-and-offered-a-way-forward',
			'call-logged-as-third-party',
			'confirmed-understanding'
		]);
		expect(result).toMatchObject({ earned: 9, possible: 28 });
		expectVerdict(result, { passed: false, score: 32.1, criticalMisses: ['no-account-information-disclosed'] });
		// Each critical choice is on the point's timeline: the balance after his security, then the payments.
		expect(result.points.find((p) => p.id === 'no-account-information-disclosed')!.choices!.map((c) => [c.choice, c.quality])).toEqual([
			['security-passed-give-balance', 'critical'],
			['give-payments', 'critical']
		]);
		const disclosures = play.events.filter((e) => e.name === 'disclosure.made').map((e) => e.id);
		expect(disclosures).toHaveLength(2);
		// The evidence: both disclosures, and the first critical choice.
		const firstCritical = play.events.find((e) => e.name === 'choice.made' && e.details?.quality === 'critical')!;
		expect(result.points.find((p) => p.id === 'no-account-information-disclosed')!.evidence).toEqual([...disclosures, firstCritical.id]);
		// The core judged both unauthorised and opened a breach for each.
		expect(play.events.filter((e) => e.name === 'disclosure.made').map((e) => e.details?.authorised)).toEqual([false, false]);
		expect(play.events.filter((e) => e.name === 'breach.registered')).toHaveLength(2);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: reads his details out to check them, refuses curtly and does not log the call: she hangs up', async () => {
		const play = await playthrough(loaded, [{ say: 'read-out-to-check' }, { say: 'explain-no-authority' }, { say: 'rules-are-rules' }]);
		expect(play).toMatchObject({ node: 'caller-hangs-up', ended: true });

		const result = await play.end();
		expect(result.points.filter((p) => p.outcome === 'missed').map((p) => p.id)).toEqual([
			'nothing-read-out',
			'checked-authority-before-declining',
			'explained-and-offered-a-way-forward',
			'call-logged',
			'call-logged-as-third-party',
			'call-logged-promptly',
			'confirmed-understanding'
		]);
		// The call ended early: the points met only by the absence of a mistake were not reached.
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual([
			'no-account-information-disclosed',
			'not-treated-as-account-holder',
			'address-not-changed',
			'no-unkeepable-promise'
		]);
		expectVerdict(result, { passed: false, score: 0 });
		const readOut = play.events.find((e) => e.name === 'data.read.out')!;
		expect(readOut.fields).toEqual(['postcode', 'dateOfBirth']);
		expect(readOut.subject).toBe(play.seedIds.daniel);
		expect(result.points.find((p) => p.id === 'nothing-read-out')!.evidence).toEqual([readOut.id]);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: declines well but promises a statement, and logs the call late as from the account holder', async () => {
		const play = await playthrough(loaded, [
			{ say: 'bring-up-account' },
			checkHerAuthority,
			{ say: 'explain-after-check' },
			{ say: 'empathise-and-explain' },
			{ say: 'offer-to-speak-to-daniel' },
			{ say: 'promise-statement' },
			{ say: 'goodbye' },
			...busy(25),
			logTheCall('data-subject')
		]);
		const result = await play.end();
		expect(missed(result)).toEqual(['no-unkeepable-promise', 'call-logged-as-third-party', 'call-logged-promptly', 'confirmed-understanding']);
		expect(result).toMatchObject({ earned: 22, possible: 28 });
		expectVerdict(result, { passed: false, score: 78.6 });
		expectFeedbackFromFile(s, result);
	});
});

describe('new-customer-signup', () => {
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
		mobilePhone: '07700 900461',
		supplyStartDate: '2025-03-08',
		tariff: 'Standard Variable (dual fuel)',
		paymentMethod: 'Monthly Direct Debit'
	};
	const recordPriya = (email: string, extra: Record<string, string> = {}): Step => ({
		do: 'recordCustomer',
		input: { purposeCodes: ['supply-and-billing'], fields: { ...priya, email, ...extra } },
		as: 'priya'
	});
	const spelled = 'priya.shah88@outlook.com';
	const heard = 'priya.shah@outlook.com';
	const consent = (channel: string): Step => ({
		do: 'giveConsent',
		input: (r) => ({
			customerId: r.id('priya'),
			purposeCode: 'marketing',
			channel,
			method: 'verbal-documented',
			noticeVersion: 'PN-2025.1',
			evidenceRef: 'Call recording 2025-03-05 10:15'
		})
	});
	const readBack: Step = {
		do: 'readBack',
		input: (r) => ({ customerId: r.id('priya'), fields: ['givenName', 'familyName', 'addressLine1', 'town', 'postcode', 'email', 'mobilePhone', 'supplyStartDate'] })
	};
	const logTheCall: Step = {
		do: 'logInteraction',
		input: (r) => ({ customerId: r.id('priya'), channel: 'phone', direction: 'inbound', partyType: 'data-subject', nature: 'New account' })
	};

	it('mistake: takes everything offered, tells her about the last tenant and signs her up to all marketing', async () => {
		const play = await playthrough(loaded, [
			{ say: 'ask-everything' },
			{ say: 'carry-on' },
			{ say: 'take-as-given' },
			{ say: 'tell-about-previous' },
			{ say: 'note-email' },
			{ say: 'take-partner' },
			{ say: 'carry-on' },
			{ say: 'explain-payment' },
			{ say: 'sign-up-to-everything' },
			// Her NI number as she gave it ("QQ 12 34 56 C") is not a valid one: the core refuses the collection.
			{ ...recordPriya(heard, { nationalInsuranceNumber: 'QQ 12 34 56 C' }), expectError: 'invalid' },
			recordPriya(heard),
			// Tom, recorded as a customer of his own for marketing: the core stores it and records minimisation findings.
			{ do: 'recordCustomer', input: { purposeCodes: ['marketing'], fields: { givenName: 'Tom', familyName: 'Reilly', dateOfBirth: '03/06/1994', mobilePhone: '07700 900377' } } },
			consent('email'),
			consent('sms'),
			consent('phone'),
			{ say: 'noted' },
			{ say: 'finish-without-read-back' }
		]);
		const result = await play.end();
		expect(missed(result)).toEqual([
			'nothing-about-previous-occupant',
			'no-unneeded-data-recorded',
			'no-unneeded-questions',
			'validated-at-collection',
			'details-read-back',
			'email-right-on-file',
			'consent-informed-and-unbundled',
			'no-consent-she-refused',
			'call-logged',
			'confirmed-next-steps'
		]);
		expect(result).toMatchObject({ earned: 14, possible: 43 });
		expectVerdict(result, { passed: false, score: 32.6, criticalMisses: ['nothing-about-previous-occupant', 'no-consent-she-refused'] });
		const refused = play.events.filter((e) => e.name === 'consent.given' && e.details?.channel !== 'email').map((e) => e.id);
		expect(refused).toHaveLength(2);
		expect(result.points.find((p) => p.id === 'no-consent-she-refused')!.evidence).toEqual(refused);
		expect(play.events.filter((e) => e.name === 'finding.recorded').map((e) => e.details?.code)).toContain('minimisation.no-purpose');
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	/** Up to the read-back, with the email heard rather than spelled. */
	const heardEmail = (): Step[] => [
		{ say: 'start-properly' },
		{ say: 'ask-address' },
		{ say: 'look-up-address' },
		{ say: 'reassure-without-disclosing' },
		{ say: 'note-email' },
		{ say: 'decline-partner' },
		{ say: 'explain-payment' },
		recordPriya(heard),
		{ say: 'explain-and-confirm' },
		consent('email'),
		{ say: 'noted' },
		readBack
	];

	it('mistake: hears the email instead of having it spelled, and corrects it when she catches it at read-back', async () => {
		expect((await playthrough(loaded, heardEmail())).node).toBe('email-wrong');
		const play = await playthrough(loaded, [
			...heardEmail(),
			{ do: 'correctField', input: (r) => ({ customerId: r.id('priya'), field: 'email', newValue: spelled, reason: 'Customer corrected it at read-back' }) },
			{ say: 'explain-next-steps' },
			{ say: 'goodbye' },
			logTheCall
		]);
		const result = await play.end();
		expect(missed(result)).toEqual(['validated-at-collection']);
		expect(result).toMatchObject({ earned: 41, possible: 43 });
		expectVerdict(result, { passed: true, score: 95.3 });
		expect(result.criteriaEvidenced).toContain('EMP08');
		expectFeedbackFromFile(s, result);
	});

	it('mistake: leaves the wrong email for her to fix, which is a critical error', async () => {
		const play = await playthrough(loaded, [...heardEmail(), { say: 'leave-it' }, logTheCall]);
		const result = await play.end();
		expect(missed(result)).toEqual(['validated-at-collection', 'email-right-on-file', 'correction-acted-on', 'confirmed-next-steps']);
		const verdict = expectVerdict(result, { passed: false, score: 76.7, criticalMisses: ['correction-acted-on'] });
		expect(verdict.reason).toBe(
			"UK GDPR Art 5(1)(d) and Art 16: rectification without undue delay: You left an email address on file that Ms Shah had just told you was wrong."
		);
		expectFeedbackFromFile(s, result);
	});

	it('mistake: puts the previous occupant’s account into her name', async () => {
		const play = await playthrough(loaded, [
			{ say: 'start-properly' },
			{ say: 'ask-address' },
			{ say: 'look-up-address' },
			{ say: 'reuse-old-account' },
			...(['givenName', 'familyName', 'dateOfBirth'] as const).map(
				(field): Step => ({
					do: 'correctField',
					input: (r) => ({ customerId: r.id('gareth'), field, newValue: { givenName: 'Priya', familyName: 'Shah', dateOfBirth: '1996-11-23' }[field], reason: 'New occupant' })
				})
			)
		]);
		const result = await play.end();
		expect(missed(result)).toContain('new-record-for-new-customer');
		// Ended mid-call, nothing of hers recorded: nothing earned.
		expect(result.endedEarly).toBe(true);
		expectVerdict(result, { passed: false, score: 0 });
		expect(result.points.find((p) => p.id === 'new-record-for-new-customer')!.evidence).toEqual(
			play.events.filter((e) => e.name === 'reused.previous.occupants.account' || e.subject === play.seedIds.gareth).map((e) => e.id)
		);
	});
});

describe('playthroughs', () => {
	it('only take choices the dialogue offers', async () => {
		await expect(playthrough(loadedScenario('spouse-caller'), [{ say: 'give-balance' }])).rejects.toThrow('choice "give-balance" is not offered at node "opening"');
	});
});
