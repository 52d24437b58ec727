/**
 * misdirected-email-breach: a statement emailed to the wrong customer, found on a Friday at 16:00.
 * Contain, register, assess, report to the ICO by Monday 16:00, tell the customer. The core's breach
 * register computes the report-by time and whether the report was late. Played through the runtime.
 */
import { describe, expect, it } from 'vitest';
import { playthrough, type PlayRefs, type Step } from '../testing';
import { expectFeedbackFromFile, expectModelAnswer, expectReplayIdentical, loadedScenario, missed } from './support';

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

describe('misdirected-email-breach', () => {
	it('model answer: contains, registers at 16:00, assesses high risk, reports the same day, tells her by her safe channel', () => {
		const play = playthrough(loaded, [
			{ say: 'facts-first' },
			{ say: 'contain-and-register' },
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
		]);
		expect(play).toMatchObject({ node: 'closing', ended: true });
		// Friday 16:00 + 72 calendar hours = Monday 16:00, whatever the weekend.
		expect(play.events.find((e) => e.name === 'breach.registered')?.details).toMatchObject({ reportDueAt: '2025-03-17T16:00:00.000Z' });
		expect(play.events.find((e) => e.name === 'breach.ico.notified')?.details).toMatchObject({ late: false });
		expectModelAnswer(loaded, play);
	});

	it('mistake: leaves it till Monday, counts working hours, reports late and does not tell her', () => {
		const play = playthrough(loaded, [
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
		const result = play.end();
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
		expect(result).toMatchObject({ passed: false, criticalMisses: ['reported-to-ico-on-time'] });
		expectFeedbackFromFile(s, result);
		expectReplayIdentical(loaded, play);
	});

	it('mistake: agrees to a quiet resend, forwards it to a personal email, calls it no risk and never registers it', () => {
		const play = playthrough(loaded, [
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
		const result = play.end();
		expect(missed(result)).toEqual(s.marking.map((p) => p.id));
		expect(result).toMatchObject({ passed: false, criticalMisses: ['breach-registered', 'reported-to-ico-on-time'], score: 0 });
		expectFeedbackFromFile(s, result);
	});

	it('mistake: records awareness when told, assesses the risk as ordinary and emails her about it', () => {
		const play = playthrough(loaded, [
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
		const result = play.end();
		expect(missed(result)).toEqual(['awareness-time-right', 'risk-assessed-high', 'safe-channel', 'explained-rights-and-next-steps', 'call-logged']);
		expect(result).toMatchObject({ passed: true });
		expect(result.points.find((p) => p.id === 'awareness-time-right')!.evidence).toEqual([play.events.find((e) => e.name === 'breach.registered')!.id]);
		expectFeedbackFromFile(s, result);
	});
});
