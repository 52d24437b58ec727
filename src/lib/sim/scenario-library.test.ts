/**
 * The scenario library: every file passes the checker, and for each scenario a model answer meets
 * every marking point while common mistakes miss exactly the points they should, with the
 * feedback the file gives. Until the runtime drives the core, the core's events are written in
 * by hand, as the core's operations describe them (audit-actions.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatScenarioError, loadScenarios } from './scenario-check';
import { markAttempt, type MarkingResult } from './marking';
import type { Scenario } from './scenario-schema';
import { playthrough, type Step } from './testing';

const library = loadScenarios('scenarios');

function scenario(id: string): Scenario {
	const found = library.scenarios.find((s) => s.scenario.id === id);
	if (!found) throw new Error(`no scenario ${id}`);
	return found.scenario;
}

/** The ids of the points not met, in file order. */
const missed = (result: MarkingResult) => result.points.filter((p) => !p.met).map((p) => p.id);

/** Each missed point's feedback is the file's notMet text, each met point's the met text. */
function expectFeedbackFromFile(s: Scenario, result: MarkingResult) {
	for (const point of result.points) {
		const inFile = s.marking.find((m) => m.id === point.id)!;
		expect(point.feedback).toBe(point.met ? inFile.feedback.met : inFile.feedback.notMet);
	}
}

describe('the scenario library', () => {
	it('passes the checker, every file', () => {
		expect(library.errors.map(formatScenarioError)).toEqual([]);
		expect(library.scenarios.map((s) => s.scenario.id)).toEqual(['new-customer-signup', 'spouse-caller']);
		for (const loaded of library.scenarios) expect(loaded.version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
	});
});

describe('spouse-caller', () => {
	const s = scenario('spouse-caller');
	const logTheCall = (partyType: string): Step => ({
		core: 'interaction.logged',
		subject: 'daniel',
		details: { interactionId: 'i-1', channel: 'phone', direction: 'inbound', partyType, nature: 'Balance enquiry and change of address' }
	});

	it('model answer: checks the file, declines kindly, offers the way forward, logs the call', () => {
		const play = playthrough(s, [
			{ core: 'customer.searched', fields: ['familyName', 'postcode'], details: { purposeCode: 'supply-and-billing', resultCount: 1 } },
			{ say: 'bring-up-account' },
			{ core: 'customer.viewed', subject: 'daniel', fields: ['givenName', 'familyName', 'addressLine1', 'postcode'] },
			{ core: 'third-party.authority.checked', subject: 'daniel', details: { found: false, inScope: false } },
			{ say: 'explain-after-check' },
			{ say: 'empathise-and-explain' },
			{ say: 'explain-authority-route' },
			{ say: 'explain-address-needs-daniel' },
			{ say: 'check-understanding' },
			{ say: 'goodbye' },
			logTheCall('unauthorised-third-party')
		]);
		expect(play).toMatchObject({ node: 'call-ends', ended: true });

		const result = markAttempt(s, play.events);
		expect(missed(result)).toEqual([]);
		expect(result).toMatchObject({ score: 100, passed: true, criticalMisses: [] });
		expect([...result.criteriaEvidenced].sort()).toEqual([...s.criteria].sort());
		expectFeedbackFromFile(s, result);
	});

	it('mistake: lets the wife through his security and does everything she asks', () => {
		const play = playthrough(s, [
			{ say: 'ask-his-security' },
			{ core: 'identity.verified', subject: 'daniel', details: { method: 'knowledge-based', requesterType: 'data-subject' } },
			{ say: 'security-passed-give-balance' },
			{ say: 'give-payments' },
			{ say: 'agree-to-change' },
			{ core: 'customer.field.corrected', subject: 'daniel', fields: ['addressLine1', 'town', 'postcode'] },
			{ say: 'goodbye' },
			logTheCall('data-subject')
		]);
		expect(play.node).toBe('call-ends-after-disclosure');

		const result = markAttempt(s, play.events);
		expect(missed(result)).toEqual([
			'no-account-information-disclosed',
			'not-treated-as-account-holder',
			'checked-authority-before-declining',
			'address-not-changed',
			'explained-and-offered-a-way-forward',
			'call-logged-as-third-party',
			'confirmed-understanding'
		]);
		expect(result).toMatchObject({ passed: false, criticalMisses: ['no-account-information-disclosed'], earned: 9, possible: 22, score: 40.9 });
		const disclosures = play.events.filter((e) => e.name === 'disclosure.made').map((e) => e.id);
		expect(result.points.find((p) => p.id === 'no-account-information-disclosed')!.evidence).toEqual(disclosures);
		expectFeedbackFromFile(s, result);
	});

	it('mistake: reads his details out to check them, refuses curtly and does not log the call', () => {
		const play = playthrough(s, [{ say: 'read-out-to-check' }, { say: 'explain-no-authority' }, { say: 'rules-are-rules' }]);
		expect(play).toMatchObject({ node: 'caller-hangs-up', ended: true });

		const result = markAttempt(s, play.events);
		expect(missed(result)).toEqual([
			'nothing-read-out',
			'checked-authority-before-declining',
			'explained-and-offered-a-way-forward',
			'call-logged',
			'call-logged-as-third-party',
			'call-logged-promptly',
			'confirmed-understanding'
		]);
		expect(result.passed).toBe(true);
		const readOut = play.events.find((e) => e.name === 'data.read.out')!;
		expect(readOut.fields).toEqual(['postcode', 'dateOfBirth']);
		expect(result.points.find((p) => p.id === 'nothing-read-out')!.evidence).toEqual([readOut.id]);
		expectFeedbackFromFile(s, result);
	});

	it('mistake: declines well but promises a statement, and logs the call late as from the account holder', () => {
		const play = playthrough(s, [
			{ say: 'bring-up-account' },
			{ core: 'third-party.authority.checked', subject: 'daniel', details: { found: false } },
			{ say: 'explain-after-check' },
			{ say: 'empathise-and-explain' },
			{ say: 'offer-to-speak-to-daniel' },
			{ say: 'promise-statement' },
			{ say: 'goodbye' },
			{ wait: 25 },
			logTheCall('data-subject')
		]);
		const result = markAttempt(s, play.events);
		expect(missed(result)).toEqual(['no-unkeepable-promise', 'call-logged-as-third-party', 'call-logged-promptly', 'confirmed-understanding']);
		expect(result).toMatchObject({ passed: true, earned: 16, possible: 22, score: 72.7 });
		expectFeedbackFromFile(s, result);
	});
});

describe('new-customer-signup', () => {
	const s = scenario('new-customer-signup');
	const required = ['title', 'givenName', 'familyName', 'dateOfBirth', 'addressLine1', 'town', 'postcode', 'supplyStartDate', 'tariff', 'paymentMethod'];
	const recordPriya = (extra: string[] = []): Step => ({
		core: 'customer.recorded',
		subject: 'cust-priya',
		fields: [...required, 'email', 'mobilePhone', ...extra],
		details: { purposeCodes: ['supply-and-billing'], categories: ['identity', 'contact', 'account'] }
	});
	const consent = (channel: string): Step => ({
		core: 'consent.given',
		subject: 'cust-priya',
		details: { consentId: `c-${channel}`, purposeCode: 'marketing', channel, method: 'verbal-documented', noticeVersion: 'PN-2025.1', givenBy: 'data-subject' }
	});
	const readBack: Step = {
		core: 'customer.details.read.back',
		subject: 'cust-priya',
		fields: ['givenName', 'familyName', 'addressLine1', 'town', 'postcode', 'email', 'mobilePhone', 'supplyStartDate']
	};
	const logTheCall: Step = {
		core: 'interaction.logged',
		subject: 'cust-priya',
		details: { interactionId: 'i-1', channel: 'phone', direction: 'inbound', partyType: 'data-subject', nature: 'New account' }
	};

	it('model answer: collects what the account needs, validated, with consent for email only, read back and logged', () => {
		const play = playthrough(s, [
			{ say: 'start-properly' },
			{ say: 'ask-address' },
			{ say: 'look-up-address' },
			{ core: 'customer.searched', fields: ['postcode'], details: { purposeCode: 'supply-and-billing', resultCount: 1 } },
			{ say: 'reassure-without-disclosing' },
			{ say: 'ask-to-spell' },
			{ say: 'thank' },
			{ say: 'decline-partner' },
			{ say: 'explain-payment' },
			recordPriya(),
			{ say: 'explain-and-confirm' },
			consent('email'),
			{ say: 'noted' },
			{ say: 'about-to-read-back' },
			readBack,
			{ say: 'explain-next-steps' },
			{ say: 'goodbye' },
			logTheCall
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });

		const result = markAttempt(s, play.events);
		expect(missed(result)).toEqual([]);
		expect(result).toMatchObject({ score: 100, passed: true });
		expect([...result.criteriaEvidenced].sort()).toEqual([...s.criteria].sort());
		expectFeedbackFromFile(s, result);
	});

	it('mistake: takes everything offered, tells her about the last tenant and signs her up to all marketing', () => {
		const play = playthrough(s, [
			{ say: 'ask-everything' },
			{ say: 'carry-on' },
			{ say: 'take-as-given' },
			{ say: 'tell-about-previous' },
			{ say: 'note-email' },
			{ say: 'take-partner' },
			{ say: 'carry-on' },
			{ say: 'explain-payment' },
			{ say: 'sign-up-to-everything' },
			recordPriya(['nationalInsuranceNumber']),
			{ core: 'customer.recorded', subject: 'cust-tom', fields: ['givenName', 'familyName', 'dateOfBirth', 'mobilePhone'] },
			consent('email'),
			consent('sms'),
			consent('phone'),
			{ say: 'noted' },
			{ say: 'finish-without-read-back' }
		]);
		const result = markAttempt(s, play.events);
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
		expect(result).toMatchObject({ passed: false, criticalMisses: ['nothing-about-previous-occupant', 'no-consent-she-refused'] });
		const refused = play.events.filter((e) => e.name === 'consent.given' && e.details?.channel !== 'email').map((e) => e.id);
		expect(result.points.find((p) => p.id === 'no-consent-she-refused')!.evidence).toEqual(refused);
		expectFeedbackFromFile(s, result);
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
		recordPriya(),
		{ say: 'explain-and-confirm' },
		consent('email'),
		{ say: 'noted' },
		readBack
	];

	it('mistake: hears the email instead of having it spelled, and corrects it when she catches it at read-back', () => {
		expect(playthrough(s, heardEmail()).node).toBe('email-wrong');
		const play = playthrough(s, [
			...heardEmail(),
			{ core: 'customer.field.corrected', subject: 'cust-priya', fields: ['email'], details: { requestId: null } },
			{ say: 'explain-next-steps' },
			{ say: 'goodbye' },
			logTheCall
		]);
		const result = markAttempt(s, play.events);
		expect(missed(result)).toEqual(['validated-at-collection']);
		expect(result).toMatchObject({ passed: true, earned: 24, possible: 26, score: 92.3 });
		expect(result.criteriaEvidenced).toContain('EMP08');
		expectFeedbackFromFile(s, result);
	});

	it('mistake: leaves the wrong email for her to fix', () => {
		const play = playthrough(s, [...heardEmail(), { say: 'leave-it' }, logTheCall]);
		const result = markAttempt(s, play.events);
		expect(missed(result)).toEqual(['validated-at-collection', 'email-right-on-file', 'confirmed-next-steps']);
		expectFeedbackFromFile(s, result);
	});

	it('mistake: puts the previous occupant’s account into her name', () => {
		const play = playthrough(s, [
			{ say: 'start-properly' },
			{ say: 'ask-address' },
			{ say: 'look-up-address' },
			{ say: 'reuse-old-account' },
			{ core: 'customer.field.corrected', subject: 'gareth', fields: ['givenName', 'familyName', 'dateOfBirth'] }
		]);
		const result = markAttempt(s, play.events);
		expect(missed(result)).toContain('new-record-for-new-customer');
		expect(result.points.find((p) => p.id === 'new-record-for-new-customer')!.evidence).toEqual(
			play.events.filter((e) => e.name === 'reused.previous.occupants.account' || e.subject === 'gareth').map((e) => e.id)
		);
	});
});

describe('playthroughs', () => {
	it('only take choices the dialogue offers', () => {
		expect(() => playthrough(scenario('spouse-caller'), [{ say: 'give-balance' }])).toThrow('choice "give-balance" is not offered at node "opening"');
	});
});
