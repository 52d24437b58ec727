/**
 * colleague-requests: one colleague's request matches a purpose and her role, the other's does not.
 * Played through the runtime on the real core, whose disclosure engine judges every supply.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectModelAnswer, expectReplayIdentical, loadedScenario, missed } from './support';

const loaded = loadedScenario('colleague-requests');
const s = loaded.scenario;
const doreen = (r: PlayRefs) => r.id('doreen');

const findByReference: Step = { do: 'searchCustomers', input: { reference: 'NWE-3306174', purposeCode: 'metering' } };
const openForMetering: Step = { do: 'viewCustomer', input: (r) => ({ customerId: doreen(r), purposeCode: 'metering' }) };
/** Amira's need, supplied through the system: her role, the metering purpose, the one field she asked for. */
const supplyToAmira = (fields: string[] = ['mobilePhone']): Step => ({
	do: 'disclose',
	input: (r) => ({
		customerId: doreen(r),
		recipient: { type: 'colleague', name: 'Amira Haddad', organisation: 'Northwind Energy, Field Services', role: 'field services' },
		fields,
		fieldsRequested: ['mobilePhone'],
		purposeCode: 'metering',
		channel: 'internal'
	})
});
const noteJadesRequest: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: doreen(r),
		channel: 'internal',
		direction: 'inbound',
		partyType: 'colleague',
		nature: 'Home Services asked for her mobile number for a sales call',
		notes: 'Declined: no marketing consent; customer has said no marketing.',
		actionsTaken: ['Request declined', 'Route explained']
	})
};

describe('colleague-requests', () => {
	it('model answer: checks purpose and role, supplies one field through the system, asks the PSR team, declines the sales request and notes it', () => {
		const play = playthrough(loaded, [
			{ say: 'check-purpose' },
			findByReference,
			openForMetering,
			{ say: 'ask-psr-team' },
			{ say: 'use-work-order' },
			supplyToAmira(),
			{ say: 'confirm-with-amira' },
			{ say: 'next-chat' },
			{ say: 'ask-jade-purpose' },
			{ say: 'decline-and-explain' },
			{ say: 'explain-route' },
			noteJadesRequest,
			{ say: 'purpose-limitation' },
			{ say: 'minimisation' },
			{ say: 'security' }
		]);
		expect(play).toMatchObject({ node: 'review-ends', ended: true });
		// The core checked Amira's need against the purpose and her role.
		expect(play.events.find((e) => e.name === 'disclosure.need.checked')?.details).toMatchObject({ recipientRole: 'field services', purposeCode: 'metering', outcome: 'needed' });
		expectModelAnswer(loaded, play);
	});

	it('mistake: screenshots the whole record onto WhatsApp, guesses her needs, and gives the sales colleague the number', () => {
		const play = playthrough(loaded, [
			{ say: 'screenshot-whatsapp' },
			{ say: 'guess-needs' },
			{ say: 'no-worries' },
			{ say: 'give-jade-number' },
			{ say: 'close-jade' },
			{ say: 'seniority' },
			{ say: 'accuracy' },
			{ say: 'speed' }
		]);
		const result = play.end();
		expect(missed(result)).toEqual(s.marking.map((p) => p.id));
		expect(result).toMatchObject({ passed: false, criticalMisses: ['no-unauthorised-disclosure'], score: 0 });
		// Both disclosures were judged unauthorised by the core, and each opened a breach.
		const disclosures = eventIds(play, 'disclosure.made', 'doreen');
		expect(disclosures).toHaveLength(2);
		expect(play.events.filter((e) => e.name === 'disclosure.made').map((e) => e.details?.authorised)).toEqual([false, false]);
		expect(result.points.find((p) => p.id === 'no-unauthorised-disclosure')!.evidence).toEqual(disclosures);
		expect(play.events.filter((e) => e.name === 'breach.registered')).toHaveLength(2);
		expectFeedbackFromFile(s, result);
		expectReplayIdentical(loaded, play);
	});

	it('mistake: handles Amira properly but borrows a login, gives in to Jade, and names two principles of three', () => {
		const play = playthrough(loaded, [
			{ say: 'check-purpose' },
			findByReference,
			{ say: 'borrow-login' },
			{ say: 'use-work-order' },
			supplyToAmira(),
			{ say: 'no-worries' },
			{ say: 'ask-jade-purpose' },
			{ say: 'give-in' },
			{ say: 'close-jade' },
			{ say: 'purpose-limitation' },
			{ say: 'minimisation' },
			{ say: 'speed' }
		]);
		const result = play.end();
		expect(missed(result)).toEqual([
			'no-unauthorised-disclosure',
			'sought-support-for-psr',
			'confirmed-with-amira',
			'declined-jade',
			'explained-the-route',
			'declined-request-noted',
			'three-principles'
		]);
		expect(result).toMatchObject({ passed: false, criticalMisses: ['no-unauthorised-disclosure'] });
		// Amira's supply was authorised; Jade's was not.
		expect(play.events.filter((e) => e.name === 'disclosure.made').map((e) => [e.details?.route, e.details?.authorised])).toEqual([
			['colleague-need-to-know', true],
			['none', false]
		]);
		expect(result.points.find((p) => p.id === 'three-principles')!.evidence).toHaveLength(2);
		expectFeedbackFromFile(s, result);
	});

	it('mistake: records the supply properly but sends more than Amira asked for', () => {
		const play = playthrough(loaded, [
			{ say: 'check-purpose' },
			findByReference,
			{ say: 'ask-psr-team' },
			{ say: 'use-work-order' },
			supplyToAmira(['mobilePhone', 'dateOfBirth', 'balance']),
			{ say: 'say-done' },
			{ say: 'confirm-with-amira' },
			{ say: 'next-chat' },
			{ say: 'ask-jade-purpose' },
			{ say: 'decline-and-explain' },
			{ say: 'explain-route' },
			noteJadesRequest,
			{ say: 'purpose-limitation' },
			{ say: 'minimisation' },
			{ say: 'security' }
		]);
		const result = play.end();
		expect(missed(result)).toEqual(['no-unauthorised-disclosure', 'supplied-what-amira-needed', 'only-what-matched', 'secure-internal-channel']);
		// The engine refused the route: fields beyond the request, and fields the metering purpose does not need.
		expect(play.events.find((e) => e.name === 'disclosure.made')?.details).toMatchObject({ authorised: false, route: 'none' });
		expect(play.events.find((e) => e.name === 'disclosure.need.checked')?.details).toMatchObject({ outcome: 'not-needed' });
		expectFeedbackFromFile(s, result);
	});
});
