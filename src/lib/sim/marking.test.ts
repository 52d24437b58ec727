import { describe, expect, it } from 'vitest';
import { markAttempt } from './marking';
import { scenarioSchema } from './scenario-schema';
import { eventLog, sampleScenarioInput } from './testing';

const scenario = scenarioSchema.parse(sampleScenarioInput());

describe('markAttempt', () => {
	it('meets every point of a model attempt, with evidence, and evidences every criterion', () => {
		const log = eventLog();
		const checked = log.core('third-party.authority.checked', { subject: 'cust-1', details: { found: false } });
		const declined = log.dialogue('explained.no.authority');
		const understood = log.dialogue('confirmed.caller.understood');
		const ended = log.dialogue('dialogue.ended', { details: { node: 'thanks' } });
		const logged = log.core('interaction.logged', { subject: 'cust-1', details: { partyType: 'unauthorised-third-party' } });

		const result = markAttempt(scenario, log.events, { seedIds: { daniel: 'cust-1' } });

		expect(result.points).toEqual([
			{
				id: 'no-disclosure',
				description: 'Disclosed nothing.',
				met: true,
				critical: true,
				weight: 0,
				evidence: [],
				feedback: 'Nothing disclosed.',
				criteria: ['EMP03']
			},
			{
				id: 'checked-first',
				description: 'Checked authority before declining.',
				met: true,
				critical: false,
				weight: 2,
				evidence: [checked.id, declined.id],
				feedback: 'Checked first.',
				criteria: ['EMP03']
			},
			{
				id: 'logged',
				description: 'Logged the call promptly.',
				met: true,
				critical: false,
				weight: 3,
				evidence: [ended.id, logged.id],
				feedback: 'Logged.',
				criteria: ['AC06']
			},
			{
				id: 'understood',
				description: 'Checked she understood.',
				met: true,
				critical: false,
				weight: 1,
				evidence: [understood.id],
				feedback: 'Checked.',
				criteria: ['PC11']
			}
		]);
		expect(result).toMatchObject({ score: 100, earned: 6, possible: 6, passed: true, criticalMisses: [] });
		expect(result.criteriaEvidenced).toEqual(['PC11', 'EMP03', 'AC06']);
	});

	it('fails an attempt with a critical miss whatever its score, and shows the offending event', () => {
		const log = eventLog();
		log.core('third-party.authority.checked', { subject: 'cust-1' });
		log.dialogue('explained.no.authority');
		const disclosed = log.core('disclosure.made', { subject: 'cust-1', fields: ['balance'], details: { authorised: false } });
		log.dialogue('confirmed.caller.understood');
		log.core('interaction.logged', { subject: 'cust-1' });

		const result = markAttempt(scenario, log.events, { seedIds: { daniel: 'cust-1' } });

		expect(result.points[0]).toMatchObject({ id: 'no-disclosure', met: false, evidence: [disclosed.id], feedback: 'You disclosed the balance.' });
		expect(result).toMatchObject({ score: 100, passed: false, criticalMisses: ['no-disclosure'] });
		expect(result.criteriaEvidenced).toEqual(['PC11', 'EMP03', 'AC06']);
	});

	it('weights the score by the non-critical points met', () => {
		const log = eventLog();
		log.core('interaction.logged');
		const result = markAttempt(scenario, log.events);
		expect(result.points.map((p) => [p.id, p.met])).toEqual([
			['no-disclosure', true],
			['checked-first', false],
			['logged', true],
			['understood', false]
		]);
		expect(result).toMatchObject({ earned: 3, possible: 6, score: 50, passed: true });
		expect(result.points[1]!.feedback).toBe('Check before declining.');
	});

	it('rounds the score to one decimal place', () => {
		const log = eventLog();
		log.dialogue('confirmed.caller.understood');
		expect(markAttempt(scenario, log.events).score).toBe(16.7);
	});

	it('scores 100 when a scenario has only critical points', () => {
		const onlyCritical = { ...scenario, marking: scenario.marking.filter((p) => p.critical) };
		expect(markAttempt(onlyCritical, [])).toMatchObject({ score: 100, earned: 0, possible: 0, passed: true });
	});

	it('gives the same result for the same events, in any order', () => {
		const log = eventLog();
		log.core('third-party.authority.checked');
		log.dialogue('explained.no.authority');
		log.core('disclosure.made', { subject: 'daniel', fields: ['balance'], details: { authorised: false } });
		const first = markAttempt(scenario, log.events);
		expect(markAttempt(scenario, log.events)).toEqual(first);
		expect(markAttempt(scenario, [...log.events].reverse())).toEqual(first);
	});
});
