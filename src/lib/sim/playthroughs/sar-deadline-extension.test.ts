/**
 * sar-deadline-extension: a complex subject access request at a Scottish insurer. The core computes
 * the deadline in Scotland's calendar (2 January is a holiday there) and extends it by two months
 * when the person is told with reasons within the first month. Played through the runtime.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('sar-deadline-extension');
const s = loaded.scenario;
const callum = (r: PlayRefs) => r.id('callum');

const findHim: Step = { do: 'searchCustomers', input: { reference: 'LHI-40228716' } };
const verify: Step = {
	do: 'verifyIdentity',
	input: (r) => ({
		customerId: callum(r),
		requesterType: 'data-subject',
		method: 'knowledge-based',
		supplied: { givenName: 'Callum', familyName: 'Reid', dateOfBirth: '08/03/1979', postcode: 'G12 9TZ' }
	})
};
const extendForComplexity: Step = {
	do: 'extendRequest',
	input: (r) => ({
		requestId: r.id('callum-sar'),
		reason: 'complex',
		explanation:
			'43 archived call recordings must be retrieved from our recording supplier and reviewed; parts of the file contain other people’s information and investigation notes that need legal review.'
	})
};
const logTheCall: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: callum(r),
		channel: 'phone',
		direction: 'inbound',
		partyType: 'data-subject',
		nature: 'Chased his subject access request; deadline extended (complex) and reasons given',
		actionsTaken: ['Archive retrieval ordered', 'Extended to 2 March 2026', 'Confirmation email sent']
	})
};

describe('sar-deadline-extension', () => {
	it('model answer: verifies, gives the Scottish deadline, gets the archive ordered, extends for complexity with reasons, in writing', async () => {
		const play = await playthrough(loaded, [
			{ say: 'security' },
			findHim,
			verify,
			{ say: 'correct-date' },
			{ say: 'honest-check' },
			{ say: 'order-archive' },
			{ say: 'extend-complex' },
			extendForComplexity,
			{ say: 'explain-extension' },
			{ say: 'reassure-and-check' },
			{ say: 'cite-law' },
			logTheCall
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		// Received Tuesday 2 December: 2 January is a Scottish bank holiday, then a weekend, so Monday 5 January; extended to 2 March.
		expect(play.events.find((e) => e.name === 'request.extended')?.details).toMatchObject({
			reason: 'complex',
			originalDueDate: '2026-01-05',
			dueDate: '2026-03-02'
		});
		await expectModelAnswer(loaded, play);
	});

	it('mistake: reads his details out, says 30 days, promises Friday, skips the archive, gives no reasons and tells him what his neighbour said', async () => {
		const play = await playthrough(loaded, [
			{ say: 'read-out-email' },
			{ say: 'security-after-all' },
			{ say: 'thanks' },
			{ say: 'thirty-days' },
			{ say: 'promise-friday' },
			{ say: 'skip-archive' },
			{ say: 'extend-christmas' },
			{ say: 'extend-complex' },
			extendForComplexity,
			{ say: 'no-reasons' },
			{ say: 'tell-him' },
			{ say: 'vague' }
		]);
		// 26 available: only the extension (3) and not questioning his motive (2) earned.
		const result = await expectMistake(loaded, play, ['no-unauthorised-disclosure', 'verified-first', 'deadline-worked-out', 'no-bad-reasons-or-panic', 'sought-support-for-archive', 'told-with-reasons', 'written-confirmation-cites-law', 'confirmed-understanding', 'call-logged'], { passed: false, score: 19.2, criticalMisses: ['no-unauthorised-disclosure'] });
		// Two unauthorised disclosures: his details read out before security, and his neighbour's name; and the first critical choice.
		const point = result.points.find((p) => p.id === 'no-unauthorised-disclosure')!;
		expect(point.choices!.map((c) => [c.choice, c.quality])).toEqual([
			['read-out-email', 'critical'],
			['tell-him', 'critical']
		]);
		expect(point.evidence).toEqual([...eventIds(play, 'disclosure.made', 'callum'), ...eventIds(play, 'disclosure.made', 'fiona'), point.choices![0]!.eventId]);
	});

	it('mistake: gives the English date, questions why he wants it, and panics about sending a partial answer', async () => {
		const play = await playthrough(loaded, [
			{ say: 'security' },
			verify,
			{ say: 'english-date' },
			{ say: 'question-motive' },
			{ say: 'order-archive' },
			{ say: 'send-partial' },
			{ say: 'extend-complex' },
			extendForComplexity,
			{ say: 'explain-extension' },
			{ say: 'reassure-and-check' },
			{ say: 'cite-law' },
			logTheCall
		]);
		const result = await play.end();
		expect(missed(result)).toEqual(['deadline-worked-out', 'no-bad-reasons-or-panic', 'purpose-not-questioned']);
		const verdict = expectVerdict(result, { passed: false, score: 73.1 });
		expect(verdict.reason).toBe(
			'A score of 73.1 % is below the pass mark of 80 %. First point missed: UK GDPR Art 12(3): one month from receipt; ICO right of access guidance: You gave Mr Reid the wrong deadline.'
		);
		expectFeedbackFromFile(s, result);
	});

	/** The model answer up to the call back, then how he is told and what is written. */
	const toTheCallBack = (tell: string, write: string): Step[] => [
		{ say: 'security' },
		findHim,
		verify,
		{ say: 'correct-date' },
		{ say: 'honest-check' },
		{ say: 'order-archive' },
		{ say: 'extend-complex' },
		extendForComplexity,
		{ say: tell },
		{ say: 'reassure-and-check' },
		{ say: write },
		logTheCall
	];

	it('mistake: extends for complexity but tells him without reasons; the email citing the law still gives them, so it passes with marks lost', async () => {
		const result = await (await playthrough(loaded, toTheCallBack('no-reasons', 'cite-law'))).end();
		expect(missed(result)).toEqual(['told-with-reasons']);
		expectVerdict(result, { passed: true, score: 84.6 });
	});

	it('mistake: extends for complexity but gives the reasons neither on the phone nor in writing: it does not pass', async () => {
		const play = await playthrough(loaded, toTheCallBack('no-reasons', 'vague'));
		expect(play).toMatchObject({ node: 'closing', ended: true });
		const result = await play.end();
		expect(missed(result)).toEqual(['told-with-reasons', 'written-confirmation-cites-law']);
		const verdict = expectVerdict(result, { passed: false, score: 76.9 });
		expect(verdict.reason).toContain("First point missed: UK GDPR Art 12(3): tell the person, with the reasons, within one month: You didn't tell him");
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});
});
