/**
 * colleague-requests: one colleague's request matches a purpose and a team the directory lets
 * receive it, the other's does not. Played through the runtime on the real core, whose disclosure
 * engine judges every supply from the directory entry chosen.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { eventIds, expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('colleague-requests');
const s = loaded.scenario;
const doreen = (r: PlayRefs) => r.id('doreen');

const findByReference: Step = { do: 'searchCustomers', input: { reference: 'NWE-3306174', purposeCode: 'metering' } };
const openForMetering: Step = { do: 'viewCustomer', input: (r) => ({ customerId: doreen(r), purposeCode: 'metering' }) };
/** Amira's need, supplied through the system: her team from the directory, the metering purpose, the one field she asked for. */
const supplyToAmira = (fields: string[] = ['mobilePhone'], directoryCode = 'field-services'): Step => ({
	do: 'disclose',
	input: (r) => ({
		customerId: doreen(r),
		recipient: { type: 'colleague', name: 'Amira Haddad', directoryCode },
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

/** Amira's request taken up properly: the purpose asked, Doreen found by reference and opened for metering, the PSR team asked. */
const amiraChecked: Step[] = [{ say: 'check-purpose' }, findByReference, openForMetering, { say: 'ask-psr-team' }];
/** Jade's sales request: her purpose asked, declined with the reason and the proper route, and noted on the record. */
const jadeDeclined: Step[] = [{ say: 'next-chat' }, { say: 'ask-jade-purpose' }, { say: 'decline-and-explain' }, { say: 'explain-route' }, noteJadesRequest];
/** The review: the three principles the chats turned on. */
const threePrinciples: Step[] = [{ say: 'purpose-limitation' }, { say: 'minimisation' }, { say: 'security' }];

describe('colleague-requests', () => {
	it('model answer: checks purpose and team, supplies one field through the system, asks the PSR team, declines the sales request and notes it', async () => {
		const play = await playthrough(loaded, [
			...amiraChecked,
			{ say: 'use-work-order' },
			supplyToAmira(),
			{ say: 'confirm-with-amira' },
			...jadeDeclined,
			...threePrinciples
		]);
		expect(play).toMatchObject({ node: 'review-ends', ended: true });
		// The core checked Amira's need against the purpose and her role.
		expect(play.events.find((e) => e.name === 'disclosure.need.checked')?.details).toMatchObject({
			recipientRole: 'Field Services',
			directoryCode: 'field-services',
			purposeCode: 'metering',
			outcome: 'needed'
		});
		expect(play.outcomes.flatMap((o) => o.transcript).filter((t) => t.who === 'Sam Whitlock' && t.text.startsWith('Stop there'))).toEqual([]);
		await expectModelAnswer(loaded, play);
	});

	it('model answer: tells Amira the number by secure message, then logs the disclosure herself', async () => {
		const play = await playthrough(loaded, [
			...amiraChecked,
			{ say: 'secure-message' },
			supplyToAmira(),
			{ say: 'confirm-with-amira' },
			...jadeDeclined,
			...threePrinciples
		]);
		// Saying it recorded nothing; the learner's own record is the one disclosure, and it moved the chat on.
		const spoken = play.events.find((e) => e.name === 'disclosure.spoken')!;
		expect(spoken.details).toMatchObject({ customer: 'doreen', fields: ['mobilePhone'], choice: 'secure-message' });
		const made = play.events.filter((e) => e.name === 'disclosure.made');
		expect(made.map((e) => [e.details?.authorised, e.seq > spoken.seq])).toEqual([[true, true]]);
		await expectModelAnswer(loaded, play);
	});

	it('mistake: tells Amira the number by secure message and never logs it', async () => {
		const play = await playthrough(loaded, [
			...amiraChecked,
			{ say: 'secure-message' },
			{ say: 'say-done' },
			{ say: 'confirm-with-amira' },
			...jadeDeclined,
			...threePrinciples
		]);
		expect(play.events.filter((e) => e.name === 'disclosure.made')).toEqual([]);
		const result = await play.end();
		// With no disclosure recorded, nothing shows the purpose was checked before it either.
		expect(missed(result)).toEqual(['checked-purpose-first', 'supplied-what-amira-needed', 'secure-internal-channel']);
		// 22 of 30: no critical miss, but below the pass mark.
		const verdict = expectVerdict(result, { passed: false, score: 73.3 });
		expect(verdict.headline).toBe('Not passed — score below the pass mark');
		expectFeedbackFromFile(s, result);
	});

	it('mistake: records Amira’s number for a team the directory does not let receive it: the supervisor reacts at once and the breach is open', async () => {
		const play = await playthrough(loaded, [
			{ say: 'check-purpose' },
			findByReference,
			openForMetering,
			{ say: 'ask-psr-team' },
			{ say: 'use-work-order' },
			supplyToAmira(['mobilePhone'], 'priority-services'),
			// A role typed in, with no team chosen from the directory, entitles nobody either.
			{
				do: 'disclose',
				input: (r) => ({
					customerId: doreen(r),
					recipient: { type: 'colleague', name: 'Amira Haddad', role: 'Field Services' },
					fields: ['mobilePhone'],
					fieldsRequested: ['mobilePhone'],
					purposeCode: 'metering',
					channel: 'internal'
				})
			},
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
		const [wrongTeam, typedRole] = play.outcomes.slice(5, 7);
		// The form's outcome says what went wrong and which rule; the supervisor speaks up in the chat at once.
		expect(wrongTeam!.transcript.map((t) => [t.kind, t.who])).toEqual([
			['system', 'Record system'],
			['persona', 'Sam Whitlock']
		]);
		expect(wrongTeam!.transcript[0]!.text).toContain('logged as UNAUTHORISED: Priority Services team may not receive customers’ data for the purpose “Metering and meter installations” (UK GDPR Art 5(1)(b), (f); Art 4(12))');
		expect(wrongTeam!.transcript[1]!.text).toMatch(/^Stop there: that was an unauthorised disclosure\. Mobile phone went to Amira Haddad: Priority Services team may not receive customers’ data .*complete the breach form/);
		expect(typedRole!.transcript[0]!.text).toContain('The recipient is not in the directory');
		// Neither moved the chat on: Amira waits until the disclosure is one the directory allows.
		expect([wrongTeam!.node?.id, typedRole!.node?.id]).toEqual(['sending', 'sending']);
		expect(play.events.filter((e) => e.name === 'breach.registered')).toHaveLength(2);
		const result = await play.end();
		expect(missed(result)).toEqual(['no-unauthorised-disclosure']);
		// 24 of 30 reaches the pass mark: the critical miss alone fails it.
		const verdict = expectVerdict(result, { passed: false, score: 80, criticalMisses: ['no-unauthorised-disclosure'] });
		expect(verdict.headline).toBe('Not passed — 1 critical error');
		expect(verdict.reason).toMatch(/^UK GDPR Art 5\(1\)\(f\): integrity and confidentiality; DPA 2018 s170: You gave a colleague customer data that her team and a stated purpose did not cover\.$/);
		// The debrief's evidence is the moment of each disclosure: the record system's lines, with their times.
		expect(result.points.find((p) => p.id === 'no-unauthorised-disclosure')!.evidence).toEqual(eventIds(play, 'disclosure.made', 'doreen').slice(0, 2));
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: screenshots the whole record onto WhatsApp, guesses her needs, and gives the sales colleague the number', async () => {
		const play = await playthrough(loaded, [
			{ say: 'screenshot-whatsapp' },
			{ say: 'guess-needs' },
			{ say: 'no-worries' },
			{ say: 'give-jade-number' },
			{ say: 'close-jade' },
			{ say: 'seniority' },
			{ say: 'accuracy' },
			{ say: 'speed' }
		]);
		const result = await expectMistake(loaded, play, s.marking.map((p) => p.id), { passed: false, score: 0, criticalMisses: ['no-unauthorised-disclosure'] });
		// Each shortcut is on the debrief's timeline under the point it cost.
		expect(result.points.find((p) => p.id === 'no-unauthorised-disclosure')!.choices!.map((c) => [c.choice, c.quality])).toEqual([
			['screenshot-whatsapp', 'critical'],
			['give-jade-number', 'critical']
		]);
		// Both disclosures were judged unauthorised by the core, and each opened a breach.
		const disclosures = eventIds(play, 'disclosure.made', 'doreen');
		expect(disclosures).toHaveLength(2);
		expect(play.events.filter((e) => e.name === 'disclosure.made').map((e) => e.details?.authorised)).toEqual([false, false]);
		// The evidence: both disclosures, then the first critical choice.
		const screenshot = play.events.find((e) => e.name === 'choice.made' && e.details?.choice === 'screenshot-whatsapp')!;
		expect(result.points.find((p) => p.id === 'no-unauthorised-disclosure')!.evidence).toEqual([...disclosures, screenshot.id]);
		expect(play.events.filter((e) => e.name === 'breach.registered')).toHaveLength(2);
	});

	it('mistake: handles Amira properly but borrows a login, gives in to Jade, and names two principles of three', async () => {
		const play = await playthrough(loaded, [
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
		// 12 of 30.
		const result = await expectMistake(loaded, play, ['no-unauthorised-disclosure', 'sought-support-for-psr', 'confirmed-with-amira', 'declined-jade', 'explained-the-route', 'declined-request-noted', 'three-principles'], { passed: false, score: 40, criticalMisses: ['no-unauthorised-disclosure'] });
		// Amira's supply was authorised; Jade's was not.
		expect(play.events.filter((e) => e.name === 'disclosure.made').map((e) => [e.details?.route, e.details?.authorised])).toEqual([
			['colleague-need-to-know', true],
			['none', false]
		]);
		expect(result.points.find((p) => p.id === 'three-principles')!.evidence).toHaveLength(2);
	});

	it('mistake: records the supply properly but sends more than Amira asked for', async () => {
		const play = await playthrough(loaded, [
			{ say: 'check-purpose' },
			findByReference,
			{ say: 'ask-psr-team' },
			{ say: 'use-work-order' },
			supplyToAmira(['mobilePhone', 'dateOfBirth', 'balance']),
			{ say: 'say-done' },
			{ say: 'confirm-with-amira' },
			...jadeDeclined,
			...threePrinciples
		]);
		// 16 of 30.
		await expectMistake(loaded, play, ['no-unauthorised-disclosure', 'supplied-what-amira-needed', 'only-what-matched', 'secure-internal-channel'], { passed: false, score: 53.3, criticalMisses: ['no-unauthorised-disclosure'] });
		// The engine refused the route: fields beyond the request, and fields the metering purpose does not need.
		expect(play.events.find((e) => e.name === 'disclosure.made')?.details).toMatchObject({ authorised: false, route: 'none' });
		expect(play.events.find((e) => e.name === 'disclosure.need.checked')?.details).toMatchObject({ outcome: 'not-needed' });
	});

	it('mistake (over-cautious): checks Amira’s purpose, then refuses her the number her team may receive for it', async () => {
		const play = await playthrough(loaded, [
			...amiraChecked,
			{ say: 'refuse-amira' },
			{ say: 'close-amira' },
			{ say: 'ask-jade-purpose' },
			{ say: 'decline-and-explain' },
			{ say: 'explain-route' },
			noteJadesRequest,
			...threePrinciples
		]);
		expect(play).toMatchObject({ node: 'review-ends', ended: true });
		expect(play.events.filter((e) => e.name === 'disclosure.made')).toEqual([]);
		// 21 of 30: refusing someone entitled to the data is no safe default.
		const result = await expectMistake(loaded, play, ['checked-purpose-first', 'supplied-what-amira-needed', 'secure-internal-channel', 'confirmed-with-amira'], { passed: false, score: 70 });
		expect(result.points.find((p) => p.id === 'supplied-what-amira-needed')!.choices).toEqual([expect.objectContaining({ choice: 'refuse-amira', quality: 'poor', credit: 0 })]);
	});

	it('mistake: tells Amira the number before asking what it is for, then handles the rest properly', async () => {
		const play = await playthrough(loaded, [
			{ say: 'just-send-number' },
			{ say: 'ask-psr-team' },
			{ say: 'confirm-with-amira' },
			...jadeDeclined,
			...threePrinciples
		]);
		expect(play.events.filter((e) => e.name === 'disclosure.made').map((e) => e.details?.authorised)).toEqual([false]);
		await expectMistake(loaded, play, ['no-unauthorised-disclosure', 'found-by-reference', 'checked-purpose-first', 'supplied-what-amira-needed', 'secure-internal-channel'], { passed: false, score: 50, criticalMisses: ['no-unauthorised-disclosure'] });
	});

	it('mistake: checks the purpose, then sends the number to Amira’s personal phone on WhatsApp', async () => {
		const play = await playthrough(loaded, [
			...amiraChecked,
			{ say: 'whatsapp-number' },
			{ say: 'confirm-with-amira' },
			...jadeDeclined,
			...threePrinciples
		]);
		expect(play.events.filter((e) => e.name === 'disclosure.made').map((e) => e.details?.authorised)).toEqual([false]);
		// She asked the purpose first (that point stands); the number still went where no record or control reaches it. 19 of 30.
		await expectMistake(loaded, play, ['no-unauthorised-disclosure', 'supplied-what-amira-needed', 'secure-internal-channel'], { passed: false, score: 63.3, criticalMisses: ['no-unauthorised-disclosure'] });
	});
});
