/**
 * verbal-sar-neighbour: a verbal subject access request from a number not on the record, ID asked
 * for and arriving two days later, and a neighbour's identity in the contact history to withhold.
 * Played through the runtime on the real core: the request's clock, the redaction, the Art 15
 * response and the copy as a disclosure are all the core's.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('verbal-sar-neighbour');
const s = loaded.scenario;
const tanya = (r: PlayRefs) => r.id('tanya');
const sar = (r: PlayRefs) => r.id('sar');

const findHer: Step = { do: 'searchCustomers', input: { name: 'Tanya Brooks', postcode: 'RG31 6QT', purposeCode: 'tenancy-management' } };
const logTheRequest: Step = {
	do: 'logRequest',
	input: (r) => ({
		kind: 'access',
		channel: 'phone',
		verbal: true,
		description: 'Wants a copy of everything we hold on her, and to know who complained about noise.',
		customerId: tanya(r)
	}),
	as: 'sar'
};
/** What she would say on the bus: her name and address, both findable by anyone. */
const phoneSecurity: Step = {
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: tanya(r),
		requesterType: 'data-subject',
		method: 'knowledge-based',
		supplied: { givenName: 'Tanya', familyName: 'Brooks', addressLine1: '18 Ashdown Road', postcode: 'RG31 6QT' },
		requestId: sar(r)
	})
};
const askForId: Step = {
	do: 'askForId',
	input: (r) => ({ requestId: sar(r), reason: 'Calling from a number not on her record; phone security could not be completed. One photo ID, returned from the email address on record.' })
};
const logTheCall: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: tanya(r),
		channel: 'phone',
		direction: 'inbound',
		partyType: 'data-subject',
		nature: 'Verbal subject access request',
		actionsTaken: ['Request logged', 'Proportionate ID requested by email']
	})
};
const checkTheLicence: Step = {
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: tanya(r),
		requesterType: 'data-subject',
		method: 'identity-document',
		supplied: { givenName: 'Tanya', familyName: 'Brooks', addressLine1: '18 Ashdown Road', postcode: 'RG31 6QT', dateOfBirth: '03/06/1990' },
		channel: 'email',
		requestId: sar(r)
	}),
	as: 'licence'
};
const withholdTheComplainant: Step = {
	do: 'decideRedaction',
	input: (r) => ({
		requestId: sar(r),
		sourceTable: 'interaction',
		sourceId: r.id('noise-complaint'),
		sourceField: 'notes',
		passage: 'Mrs Carol Dyer of 16 Ashdown Road',
		thirdPartyDescription: 'a neighbour who reported noise',
		decision: 'withheld',
		reason: 'Three-step test: the report can be given without identifying her; she asked not to be named and fears repercussions; not reasonable to disclose without consent.'
	})
};
const respond = (withVerification: boolean, redact: boolean): Step[] => [
	...(withVerification ? [checkTheLicence] : []),
	{ do: 'receiveId', input: (r) => ({ requestId: sar(r), ...(withVerification ? { verificationId: r.id('licence') } : {}) }) },
	{ do: 'collateRequestData', input: (r) => ({ requestId: sar(r) }) },
	...(redact ? [withholdTheComplainant] : []),
	{ do: 'assembleResponse', input: (r) => ({ requestId: sar(r) }) },
	{ do: 'completeRequest', input: (r) => ({ requestId: sar(r), channel: 'email' }) }
];

/** The model answer, with the opening and the ID request as given. */
const modelAnswer = (opening: Step[] = [{ say: 'accept-verbal' }], idRequest = 'proportionate-id'): Step[] => [
	...opening,
	findHer,
	logTheRequest,
	{ say: 'ask-security' },
	phoneSecurity,
	{ say: idRequest },
	askForId,
	{ say: 'explain-rights' },
	logTheCall,
	{ say: 'to-id-arrives' },
	{ say: 'secure-delivery' },
	...respond(true, true),
	{ say: 'explain-redaction' }
];

describe('verbal-sar-neighbour', () => {
	it('model answer: logs the verbal SAR, asks for one ID, checks it, withholds the complainant, sends every Art 15 item securely', async () => {
		const play = await playthrough(loaded, modelAnswer());
		expect(play).toMatchObject({ node: 'tanya-accepts', ended: true });
		// Phone security with name and address alone is incomplete: that is why ID was reasonable.
		expect(play.events.find((e) => e.name === 'identity.verification.attempted')).toBeDefined();
		// The clock started when the ID arrived (Thursday 6 March): one month is Sunday 6 April, so Monday 7 April.
		expect(play.events.find((e) => e.name === 'request.id.received')?.details).toMatchObject({ dueDate: '2025-04-07' });
		// The copy went to her, authorised by the ID check.
		expect(play.events.filter((e) => e.name === 'disclosure.made').map((e) => e.details)).toEqual([
			expect.objectContaining({ recipientType: 'data-subject', route: 'verified-data-subject', authorised: true, channel: 'email' })
		]);
		await expectModelAnswer(loaded, play);
	});

	it('mistake: insists on a form, reads her date of birth out, quotes the old rules, logs nothing and never sends the copy', async () => {
		const play = await playthrough(loaded, [
			{ say: 'insist-on-form' },
			{ say: 'accept-after-all' },
			{ say: 'read-out-dob' },
			{ say: 'ask-id-after-read-out' },
			{ say: 'old-rules' },
			{ say: 'to-id-arrives' },
			{ say: 'plain-email' },
			{ say: 'send-a-note' },
			{ say: 'back-to-it' },
			{ say: 'send-a-note' },
			{ say: 'fob-off' }
		]);
		expect(play).toMatchObject({ node: 'tanya-complains', ended: true });
		const result = await play.end();
		// She hung up before the request was worked: what was "not done wrong" was not reached.
		expect(result.points.filter((p) => p.outcome === 'not-reached').map((p) => p.id)).toEqual(['neighbour-not-identified', 'no-promise-of-names']);
		expect(result.points.filter((p) => p.outcome === 'missed').map((p) => p.id)).toEqual(
			s.marking.map((p) => p.id).filter((id) => id !== 'neighbour-not-identified' && id !== 'no-promise-of-names')
		);
		const verdict = expectVerdict(result, { passed: false, score: 0, criticalMisses: ['no-unauthorised-disclosure'] });
		expect(verdict.reason).toBe("UK GDPR Art 5(1)(f): integrity and confidentiality: You disclosed Ms Brooks's data before her identity was confirmed: a date of birth read out to a caller on an unknown number, or a copy sent before the ID was checked and linked to the request.");
		expect(play.events.find((e) => e.name === 'data.read.out')).toMatchObject({ subject: play.seedIds.tanya, fields: ['dateOfBirth'] });
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: works the request well but promises the complainant’s name and sends the copy unredacted and unprotected', async () => {
		const play = await playthrough(loaded, [
			{ say: 'accept-verbal' },
			logTheRequest,
			{ say: 'ask-security' },
			{ say: 'proportionate-id' },
			askForId,
			{ say: 'promise-name' },
			logTheCall,
			{ say: 'to-id-arrives' },
			{ say: 'plain-email' },
			...respond(true, false),
			{ say: 'apologise-for-name' }
		]);
		expect(play).toMatchObject({ node: 'tanya-accepts', ended: true });
		// 37 available: the complainant (5), the rules (2), the promise (1), the redaction (3), the channel (2) and its explanation (2) lost.
		const result = await expectMistake(loaded, play, ['neighbour-not-identified', 'rules-explained-correctly', 'no-promise-of-names', 'redaction-recorded', 'secure-electronic-delivery', 'redaction-explained'], { passed: false, score: 59.5, criticalMisses: ['neighbour-not-identified'] });
		expect(result.points.find((p) => p.id === 'neighbour-not-identified')!.evidence).toEqual(eventIds(play, 'request.completed', 'tanya'));
	});

	it('mistake: asks for a pile of documents, then sends the copy without checking them', async () => {
		const play = await playthrough(loaded, [
			{ say: 'accept-verbal' },
			logTheRequest,
			{ say: 'ask-security' },
			{ say: 'excessive-id' },
			askForId,
			{ say: 'explain-rights' },
			logTheCall,
			{ say: 'to-id-arrives' },
			{ say: 'secure-delivery' },
			...respond(false, true),
			{ say: 'explain-redaction' }
		]);
		await expectMistake(loaded, play, ['no-unauthorised-disclosure', 'proportionate-id', 'verified-before-sending'], { passed: false, score: 67.6, criticalMisses: ['no-unauthorised-disclosure'] });
		// Sent to a requester never verified: the core logged the copy as an unauthorised disclosure and opened a breach.
		expect(play.events.find((e) => e.name === 'disclosure.made')?.details).toMatchObject({ authorised: false, recipientType: 'data-subject' });
		expect(play.events.some((e) => e.name === 'breach.registered')).toBe(true);
	});

	it('mistake: confirms on the phone that it was the neighbour at number 16', async () => {
		const play = await playthrough(loaded, [{ say: 'name-neighbour' }, { say: 'log-anyway' }, logTheRequest]);
		expect(play.node).toBe('identity-question');
		const result = await play.end();
		// Ended mid-call: only the logged request earned anything (4 of 37).
		expectVerdict(result, { passed: false, score: 10.8, criticalMisses: ['neighbour-not-identified'] });
		const named = play.events.find((e) => e.name === 'disclosure.made')!;
		expect(named).toMatchObject({ subject: play.seedIds.carol, fields: ['familyName', 'addressLine1'], details: { authorised: false, recipientType: 'unauthorised-third-party' } });
		const critical = play.events.find((e) => e.name === 'choice.made' && e.details?.choice === 'name-neighbour')!;
		expect(result.points.find((p) => p.id === 'neighbour-not-identified')!.evidence).toEqual([named.id, critical.id]);
		expectFeedbackFromFile(s, result);
	});

	it('mistake (over-cautious): refuses her spoken request twice and insists on a form; she hangs up, and it does not pass', async () => {
		const play = await playthrough(loaded, [{ say: 'insist-on-form' }, { say: 'insist-again' }]);
		expect(play).toMatchObject({ node: 'tanya-gives-up', ended: true });
		const result = await play.end();
		expect(result.endedEarly).toBe(true);
		expect(result.points.find((p) => p.id === 'verbal-request-logged')).toMatchObject({
			outcome: 'missed',
			choices: [expect.objectContaining({ choice: 'insist-on-form', quality: 'poor' }), expect.objectContaining({ choice: 'insist-again', quality: 'poor' })]
		});
		const verdict = expectVerdict(result, { passed: false, score: 0 });
		expect(verdict.reason).toContain('First point missed: UK GDPR Art 12(2) and Art 15: a request in any form, to be facilitated: You insisted on a form');
		expectFeedbackFromFile(s, result);
	});

	it('mistake (over-cautious): a pile of certified documents loses marks, and with a form insisted on as well it does not pass', async () => {
		const excessive = await (await playthrough(loaded, modelAnswer(undefined, 'excessive-id'))).end();
		expect(missed(excessive)).toEqual(['proportionate-id']);
		expectVerdict(excessive, { passed: true, score: 89.2 });

		const both = await (await playthrough(loaded, modelAnswer([{ say: 'insist-on-form' }, { say: 'accept-after-all' }], 'excessive-id'))).end();
		expect(missed(both)).toEqual(['verbal-request-logged', 'proportionate-id']);
		expectVerdict(both, { passed: false, score: 78.4 });
	});
});
