/**
 * police-address-request: a detective asks for a customer's new address. The written request, an
 * independent verification, a recorded prejudice test and the minimum disclosure, all judged by the
 * core's disclosure engine. Played through the runtime on the real core; every mistake asserts the
 * verdict under the pass rule (no critical miss and 80 % of 31 marks).
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('police-address-request');
const s = loaded.scenario;
const lee = (r: PlayRefs) => r.id('lee');
const ADDRESS = ['addressLine1', 'town', 'postcode'];

const findByNameAndBirth: Step = { do: 'searchCustomers', input: { name: 'Lee Brannigan', dateOfBirth: '1987-10-04' } };
const findByName: Step = { do: 'searchCustomers', input: { name: 'Lee Brannigan' } };
const openRecord: Step = { do: 'viewCustomer', input: (r) => ({ customerId: lee(r), purposeCode: 'supply-and-billing' }) };
const verifyOfficer = (confirmedVia: string): Step => ({
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: lee(r),
		requesterType: 'police',
		method: 'official-credentials',
		supplied: {},
		credentialsConfirmedVia: confirmedVia,
		requesterName: 'DC 4417 Rachel Okafor, Nene Valley Police',
		channel: 'phone'
	}),
	as: 'officer'
});
const SWITCHBOARD = 'Called the Nene Valley Police switchboard on its published number and was put through to DC 4417 Okafor, who confirmed request 0883';
const discloseAddress = (fields: string[] = ADDRESS, verified = true): Step => ({
	do: 'disclose',
	input: (r) => ({
		customerId: lee(r),
		recipient: { type: 'police', name: 'DC 4417 Rachel Okafor', organisation: 'Nene Valley Police', verifiedHow: 'call back through the force switchboard' },
		fields,
		fieldsRequested: ADDRESS,
		basisOrExemption: 'crime-and-taxation',
		prejudiceTest:
			'The police need his current address to arrest or interview him about an assault occasioning ABH (crime ref 41/18832/25); he has left his last known address, so not disclosing would be likely to prejudice the apprehension of an offender.',
		authorityEvidence: 'Nene Valley Police form DP1 NVP/DP/2025/0883, signed DC 4417 Okafor, authorised DS Hennessey',
		channel: 'email',
		approvedBy: 'Helen Marsh, Data Protection Officer',
		...(verified ? { verificationId: r.id('officer') } : {})
	})
});
const logTheContact: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: lee(r),
		channel: 'phone',
		direction: 'inbound',
		partyType: 'police',
		nature: 'Police request for current address (NVP/DP/2025/0883)',
		notes: 'Written request received and verified via force switchboard; DPO approved; current address disclosed under DPA 2018 Sch 2 Pt 1 para 2. Do not discuss with the customer while the investigation runs.',
		actionsTaken: ['Officer verified', 'Prejudice test recorded', 'Address disclosed by email']
	})
};

describe('police-address-request', () => {
	it('is marked out of 31 with a pass mark of 80 %: an unauthorised disclosure and an officer not independently verified are critical', () => {
		expect(s.passMark).toBe(80);
		expect(s.marking.reduce((sum, p) => sum + (p.weight ?? 0), 0)).toBe(31);
		expect(s.marking.filter((p) => p.critical).map((p) => p.id)).toEqual(['no-unauthorised-disclosure', 'verified-officer-independently']);
		for (const p of s.marking) expect(p.feedback.rule, p.id).toBeTruthy();
	});

	it('model answer: written request, independent verification, DPO-approved prejudice test, the address only, by email, logged', async () => {
		const play = await playthrough(loaded, [
			{ say: 'explain-process' },
			{ say: 'hold-firm' },
			findByNameAndBirth,
			openRecord,
			{ say: 'call-switchboard' },
			verifyOfficer(SWITCHBOARD),
			{ say: 'minimum-only' },
			{ say: 'prejudice-test' },
			{ say: 'will-send' },
			discloseAddress(),
			{ say: 'confirm-receipt' },
			logTheContact
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		expect(play.events.find((e) => e.name === 'disclosure.made')?.details).toMatchObject({
			route: 'exemption',
			authorised: true,
			basisOrExemption: 'crime-and-taxation',
			channel: 'email'
		});
		await expectModelAnswer(loaded, play);
	});

	it('mistake: gives the address over the phone to the caller, who rings off: 0 % and a critical error', async () => {
		const play = await playthrough(loaded, [{ say: 'give-address' }]);
		expect(play).toMatchObject({ node: 'officer-thanks', ended: true });
		const result = await play.end();
		expect(missed(result)).toEqual(s.marking.map((p) => p.id));
		// The call ended early: points met only because nothing went wrong were not reached.
		expect(result.endedEarly).toBe(true);
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual(['no-outright-refusal', 'verified-officer-independently', 'no-tipping-off']);
		const verdict = expectVerdict(result, { passed: false, score: 0, criticalMisses: ['no-unauthorised-disclosure'] });
		expect(verdict.reason).toMatch(/^DPA 2018 s170 and Sch 2 Pt 1 para 2: no disclosure until the exemption is established: You disclosed Mr Brannigan's data without the exemption being established/);
		// The evidence is the disclosure and the line that made it, tagged critical.
		const given = eventIds(play, 'disclosure.made', 'lee');
		const said = play.events.filter((e) => e.name === 'choice.made' && e.details?.choice === 'give-address').map((e) => e.id);
		expect(result.points.find((p) => p.id === 'no-unauthorised-disclosure')!.evidence).toEqual([...given, ...said]);
		expect(play.events.find((e) => e.name === 'disclosure.made')).toMatchObject({ fields: ADDRESS, details: { recipientType: 'police', authorised: false, route: 'none' } });
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: verifies on the number she gave, calls the exemption automatic, and adds the mobile and bank details: two critical errors', async () => {
		const play = await playthrough(loaded, [
			{ say: 'explain-process' },
			{ say: 'hold-firm' },
			findByName,
			{ say: 'call-direct-line' },
			verifyOfficer('Rang the direct line in her email signature and she confirmed it was her request'),
			{ say: 'add-extras' },
			{ say: 'automatic' },
			{ say: 'prejudice-test' },
			{ say: 'will-send' },
			discloseAddress([...ADDRESS, 'mobilePhone', 'sortCode', 'bankAccountNumber']),
			{ say: 'sent' },
			{ say: 'bye' }
		]);
		await expectMistake(loaded, play, ['no-unauthorised-disclosure', 'found-the-right-customer', 'verified-officer-independently', 'prejudice-test-recorded', 'reasoned-in-writing', 'minimum-disclosed', 'logged-under-exemption', 'secure-reply', 'contact-logged', 'confirmed-receipt'], { passed: false, score: 19.4, criticalMisses: ['no-unauthorised-disclosure', 'verified-officer-independently'] });
		// The engine found the fields beyond the written request, so the exemption was not established.
		expect(play.events.find((e) => e.name === 'disclosure.exemption.assessed')?.details).toMatchObject({ exemption: 'crime-and-taxation', outcome: 'not-established' });
		expect(play.events.find((e) => e.name === 'customer.searched')?.details).toMatchObject({ resultCount: 2 });
	});

	it('slips put right: refuses the police outright at first, suggests tipping the customer off, does not confirm receipt, and passes', async () => {
		const play = await playthrough(loaded, [
			{ say: 'refuse-outright' },
			{ say: 'accept-form' },
			{ say: 'hold-firm' },
			findByNameAndBirth,
			{ say: 'call-switchboard' },
			verifyOfficer(SWITCHBOARD),
			{ say: 'minimum-only' },
			{ say: 'prejudice-test' },
			{ say: 'suggest-tip-off' },
			{ say: 'understood' },
			discloseAddress(),
			{ say: 'bye' },
			logTheContact
		]);
		// Slips the DPO and the officer caught: 26 of 31 still reaches the pass mark.
		await expectMistake(loaded, play, ['no-outright-refusal', 'no-tipping-off', 'confirmed-receipt'], { passed: true, score: 83.9 });
	});

	it('mistake: refuses the police outright and stands by it, so the officer rings off: no critical error, but 0 %', async () => {
		const play = await playthrough(loaded, [{ say: 'refuse-outright' }, { say: 'insist-court-order' }]);
		expect(play).toMatchObject({ node: 'officer-rings-off', ended: true });
		const result = await play.end();
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual(['no-unauthorised-disclosure', 'verified-officer-independently', 'no-tipping-off']);
		const verdict = expectVerdict(result, { passed: false, score: 0 });
		expect(verdict.reason).toBe(
			'A score of 0 % is below the pass mark of 80 %. First point missed: DPA 2018 Sch 2 Pt 1 para 2: the crime exemption: You told the police they would need a court order.'
		);
		expect(result.points.find((p) => p.id === 'no-outright-refusal')!.evidence).toEqual(eventIds(play, 'refused.police.outright'));
		expectFeedbackFromFile(s, result);
	});

	it('mistake: does everything right up to the DPO’s approval, then declines to disclose after all: not passed', async () => {
		const play = await playthrough(loaded, [
			{ say: 'explain-process' },
			{ say: 'hold-firm' },
			findByNameAndBirth,
			openRecord,
			{ say: 'call-switchboard' },
			verifyOfficer(SWITCHBOARD),
			{ say: 'minimum-only' },
			{ say: 'prejudice-test' },
			{ say: 'will-send' },
			{ say: 'sent' },
			{ say: 'decline-after-all' },
			logTheContact
		]);
		expect(play).toMatchObject({ node: 'declined', ended: true });
		const result = await play.end();
		expect(eventIds(play, 'disclosure.made')).toEqual([]);
		expect(missed(result)).toEqual(
			s.marking.map((p) => p.id).filter((id) => !['asked-for-written-request', 'found-the-right-customer', 'contact-logged'].includes(id))
		);
		const verdict = expectVerdict(result, { passed: false, score: 16.1 });
		expect(verdict.reason).toContain('First point missed: DPA 2018 Sch 2 Pt 1 para 2: the prejudice test: You did not record a prejudice test');
		expectFeedbackFromFile(s, result);
	});

	it('mistake: takes the police email as proof, skips verifying the officer and sends the address: two critical errors', async () => {
		const play = await playthrough(loaded, [
			{ say: 'explain-process' },
			{ say: 'hold-firm' },
			findByNameAndBirth,
			openRecord,
			{ say: 'trust-the-email' },
			{ say: 'prejudice-test' },
			{ say: 'will-send' },
			discloseAddress(ADDRESS, false),
			{ say: 'sent' },
			{ say: 'confirm-receipt' },
			logTheContact
		]);
		const result = await play.end();
		// The core refused the disclosure as unverified: recorded, unauthorised, a breach.
		expect(play.events.find((e) => e.name === 'disclosure.made')?.details).toMatchObject({ authorised: false, route: 'none', problems: ['disclosure.unverified'] });
		expectVerdict(result, { passed: false, score: 32.3, criticalMisses: ['no-unauthorised-disclosure', 'verified-officer-independently'] });
		expectFeedbackFromFile(s, result);
	});
});
