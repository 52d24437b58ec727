/**
 * misdirected-email-breach: a statement emailed to the wrong customer, found on a Friday at 16:00.
 * Contain, register, assess, report to the ICO by Monday 16:00, tell the customer. The core's breach
 * register computes the report-by time and whether the report was late. Played through the runtime;
 * every mistake asserts the verdict under the pass rule (no critical miss and 80 % of 38 marks).
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { expectFeedbackFromFile, expectMistake, expectModelAnswer, expectReplayIdentical, expectVerdict, loadedScenario, missed } from './support';

const loaded = loadedScenario('misdirected-email-breach');
const s = loaded.scenario;
const joanne = (r: PlayRefs) => r.id('joanne');
const breach = (r: PlayRefs) => r.id('breach');

const register = (awareAt = '2025-03-14T16:00:00+00:00'): Step => ({
	do: 'registerBreach',
	input: (r) => ({
		awareAt,
		occurredAt: '2025-03-14T15:20:00+00:00',
		description: 'A customer statement (PDF) was emailed to another customer with a similar email address; the address autocompleted.',
		dataCategories: ['identity', 'contact', 'account', 'financial'],
		subjectCategories: ['customers'],
		approxSubjects: 1,
		approxRecords: 1,
		affectedCustomerIds: [joanne(r)]
	}),
	as: 'breach'
});
const contain: Step = {
	do: 'containBreach',
	input: (r) => ({
		breachId: breach(r),
		measures: 'Recall attempted (failed: already opened). Recipient phoned (voicemail) and emailed asking him to delete the email and any copy and to confirm in writing.'
	})
};
const assess = (risk: 'unlikely' | 'risk' | 'high-risk'): Step => ({
	do: 'assessBreachRisk',
	input: (r) => ({
		breachId: breach(r),
		risk,
		reasoning:
			'Name and a safe address (domestic abuse) with financial hardship details are with a person who has not confirmed deletion. Likelihood of misuse low, severity very high.',
		likelyConsequences: 'Risk to physical safety if the address reached her former partner; distress; embarrassment about arrears.'
	})
});
const reportToIco = (lateReasons?: string): Step => ({
	do: 'recordIcoNotification',
	input: (r) => ({ breachId: breach(r), reference: 'ICO-2025-0314-7734', ...(lateReasons === undefined ? {} : { lateReasons }) })
});
const subjectsTold: Step = { do: 'recordSubjectsTold', input: (r) => ({ breachId: breach(r), count: 1 }) };
const logTheCall: Step = {
	do: 'logInteraction',
	input: (r) => ({
		customerId: joanne(r),
		channel: 'phone',
		direction: 'outbound',
		partyType: 'data-subject',
		nature: 'Told about a personal data breach (statement emailed to another customer)',
		actionsTaken: ['Breach explained', 'Direct number given', 'Call back promised on confirmation of deletion']
	})
};

/** The model answer from the moment Liam starts on the facts. */
const fromTheFacts = (containChoice = 'contain-and-register'): Step[] => [
	{ say: containChoice },
	register(),
	{ do: 'viewCustomer', input: (r) => ({ customerId: joanne(r), purposeCode: 'priority-services' }) },
	contain,
	{ say: 'high-risk' },
	assess('high-risk'),
	{ say: 'seventy-two-hours' },
	reportToIco(),
	{ say: 'safe-contact' },
	{ say: 'explain-to-joanne' },
	subjectsTold,
	{ say: 'check-understood' },
	logTheCall,
	{ say: 'to-lessons' },
	{ say: 'no-blame' }
];
describe('misdirected-email-breach', () => {
	it('is marked out of 38 with a pass mark of 80 %, four critical points among them', () => {
		expect(s.passMark).toBe(80);
		expect(s.marking.reduce((sum, p) => sum + (p.weight ?? 0), 0)).toBe(38);
		expect(s.marking.filter((p) => p.critical).map((p) => p.id)).toEqual(['breach-registered', 'reported-to-ico-on-time', 'customer-told', 'no-personal-email']);
		for (const p of s.marking) expect(p.feedback.rule, p.id).toBeTruthy();
	});

	it('model answer: contains, registers at 16:00, assesses high risk, reports the same day, tells her by her safe channel', async () => {
		const play = await playthrough(loaded, [{ say: 'facts-first' }, ...fromTheFacts()]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		// Friday 16:00 + 72 calendar hours = Monday 16:00, whatever the weekend.
		expect(play.events.find((e) => e.name === 'breach.registered')?.details).toMatchObject({ reportDueAt: '2025-03-17T16:00:00.000Z' });
		expect(play.events.find((e) => e.name === 'breach.ico.notified')?.details).toMatchObject({ late: false });
		await expectModelAnswer(loaded, play);
	});

	it('mistake: leaves it till Monday, counts working hours, reports late and does not tell her: two critical errors', async () => {
		const play = await playthrough(loaded, [
			{ say: 'leave-till-monday' },
			{ say: 'have-a-good-weekend' },
			{ say: 'facts-now' },
			{ say: 'contain-and-register' },
			register(),
			contain,
			{ say: 'high-risk' },
			assess('high-risk'),
			{ say: 'working-hours' },
			{ say: 'report-late' },
			reportToIco('The duty lead thought the 72 hours were working hours and waited for the DPO.'),
			{ say: 'dont-tell' },
			{ say: 'blame' }
		]);
		expect(play.events.find((e) => e.name === 'breach.ico.notified')?.details).toMatchObject({ late: true, reportDueAt: '2025-03-17T16:00:00.000Z' });
		const result = await play.end();
		expect(missed(result)).toEqual([
			'reported-to-ico-on-time',
			'no-cover-up',
			'deadline-understood',
			'customer-told',
			'safe-channel',
			'explained-rights-and-next-steps',
			'call-logged',
			'lessons-learned'
		]);
		// Registered, contained and assessed: 17 of 38, and two critical misses.
		const verdict = expectVerdict(result, { passed: false, score: 44.7, criticalMisses: ['reported-to-ico-on-time', 'customer-told'] });
		expect(verdict.reason).toMatch(/^UK GDPR Art 33\(1\): notifying the ICO within 72 hours: You did not report the breach to the ICO within 72 hours/);
		expect(result.points.find((p) => p.id === 'customer-told')!.choices).toMatchObject([{ choice: 'dont-tell', quality: 'critical', credit: 0 }]);
		expectFeedbackFromFile(s, result);
		await expectReplayIdentical(loaded, play);
	});

	it('mistake: agrees to a quiet resend, forwards it to a personal email, calls it no risk and never registers it: 0 %', async () => {
		const play = await playthrough(loaded, [
			{ say: 'cover-up' },
			{ say: 'have-a-good-weekend' },
			{ say: 'facts-now' },
			{ say: 'forward-to-gmail' },
			{ say: 'wait-for-liam' },
			{ say: 'no-risk' },
			{ say: 'too-late' },
			{ say: 'dont-tell' },
			{ say: 'blame' }
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		await expectMistake(loaded, play, s.marking.map((p) => p.id), { passed: false, score: 0, criticalMisses: ['breach-registered', 'reported-to-ico-on-time', 'customer-told', 'no-personal-email'] });
	});

	it('mistake: records awareness when told, assesses the risk as ordinary and emails her about it: no critical error, but below the pass mark', async () => {
		const play = await playthrough(loaded, [
			{ say: 'facts-first' },
			{ say: 'contain-and-register' },
			register('2025-03-14T16:05:00+00:00'),
			contain,
			{ say: 'no-risk' },
			assess('risk'),
			{ say: 'seventy-two-hours' },
			reportToIco(),
			{ say: 'email-her' },
			subjectsTold,
			{ say: 'no-blame' }
		]);
		const result = await play.end();
		expect(missed(result)).toEqual(['awareness-time-right', 'risk-assessed-high', 'safe-channel', 'explained-rights-and-next-steps', 'call-logged']);
		// No critical miss, but 28 of 38 is below the pass mark: the first miss is the awareness time.
		const verdict = expectVerdict(result, { passed: false, score: 73.7 });
		expect(verdict.headline).toBe('Not passed — score below the pass mark');
		expect(verdict.reason).toContain('First point missed: UK GDPR Art 33(1): the 72 hours run from awareness: You recorded the wrong time');
		expect(result.points.find((p) => p.id === 'awareness-time-right')!.evidence).toEqual([play.events.find((e) => e.name === 'breach.registered')!.id]);
		expectFeedbackFromFile(s, result);
	});

	it('mistake: does everything else right but has the statement forwarded to a personal email: not passed at 81.6 %', async () => {
		const play = await playthrough(loaded, [{ say: 'facts-first' }, ...fromTheFacts('forward-to-gmail')]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		const result = await play.end();
		expect(missed(result)).toEqual(['contained', 'no-personal-email']);
		const verdict = expectVerdict(result, { passed: false, score: 81.6, criticalMisses: ['no-personal-email'] });
		expect(verdict.headline).toBe('Not passed — 1 critical error');
		expect(verdict.reason).toMatch(/^UK GDPR Art 5\(1\)\(f\) and Art 32: security of processing: You had the statement forwarded to a personal email account\.$/);
		const forwarded = play.events.find((e) => e.name === 'choice.made' && e.details?.choice === 'forward-to-gmail')!;
		expect(result.points.find((p) => p.id === 'no-personal-email')!.evidence).toContain(forwarded.id);
		expectFeedbackFromFile(s, result);
	});

	it('a slip put right at once: agrees to a quiet resend, takes it back straight away, then does everything right, and passes', async () => {
		const play = await playthrough(loaded, [{ say: 'cover-up' }, { say: 'reconsider' }, ...fromTheFacts()]);
		const result = await expectMistake(loaded, play, ['no-cover-up'], { passed: true, score: 92.1 });
		expect(result.points.find((p) => p.id === 'no-cover-up')!.choices!.map((c) => [c.choice, c.quality])).toEqual([
			['cover-up', 'poor'],
			['reconsider', 'acceptable']
		]);
	});
});
