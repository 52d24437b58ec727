/**
 * police-address-request: a detective asks for a customer's new address. The written request, an
 * independent verification, a recorded prejudice test and the minimum disclosure, all judged by the
 * core's disclosure engine. Played through the runtime on the real core.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectModelAnswer, expectReplayIdentical, loadedScenario, missed } from './support';

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
const discloseAddress = (fields: string[] = ADDRESS): Step => ({
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
		verificationId: r.id('officer')
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
	it('model answer: written request, independent verification, DPO-approved prejudice test, the address only, by email, logged', () => {
		const play = playthrough(loaded, [
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
		expectModelAnswer(loaded, play);
	});

	it('mistake: gives the address over the phone to the caller', () => {
		const play = playthrough(loaded, [{ say: 'give-address' }]);
		expect(play).toMatchObject({ node: 'officer-thanks', ended: true });
		const result = play.end();
		expect(missed(result)).toEqual(s.marking.map((p) => p.id).filter((id) => id !== 'no-tipping-off'));
		expect(result).toMatchObject({ passed: false, criticalMisses: ['no-unauthorised-disclosure'], earned: 2 });
		const given = eventIds(play, 'disclosure.made', 'lee');
		expect(result.points.find((p) => p.id === 'no-unauthorised-disclosure')!.evidence).toEqual(given);
		expect(play.events.find((e) => e.name === 'disclosure.made')).toMatchObject({ fields: ADDRESS, details: { recipientType: 'police', authorised: false, route: 'none' } });
		expectFeedbackFromFile(s, result);
		expectReplayIdentical(loaded, play);
	});

	it('mistake: verifies on the number she gave, calls the exemption automatic, and adds the mobile and bank details', () => {
		const play = playthrough(loaded, [
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
		const result = play.end();
		expect(missed(result)).toEqual([
			'no-unauthorised-disclosure',
			'found-the-right-customer',
			'verified-officer-independently',
			'prejudice-test-recorded',
			'reasoned-in-writing',
			'minimum-disclosed',
			'logged-under-exemption',
			'secure-reply',
			'contact-logged',
			'confirmed-receipt'
		]);
		// The engine found the fields beyond the written request, so the exemption was not established.
		expect(play.events.find((e) => e.name === 'disclosure.exemption.assessed')?.details).toMatchObject({ exemption: 'crime-and-taxation', outcome: 'not-established' });
		expect(play.events.find((e) => e.name === 'customer.searched')?.details).toMatchObject({ resultCount: 2 });
		expectFeedbackFromFile(s, result);
	});

	it('mistake: refuses the police outright at first, suggests tipping the customer off, and does not confirm receipt', () => {
		const play = playthrough(loaded, [
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
		const result = play.end();
		expect(missed(result)).toEqual(['asked-for-written-request', 'no-tipping-off', 'confirmed-receipt']);
		expect(result).toMatchObject({ passed: true });
		expectFeedbackFromFile(s, result);
	});
});
