import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstSentence, markAttempt, missLine, PASS_RULE_VERSION, verdictOf, type MarkingResult } from './marking';
import { scenarioSchema, type Scenario } from './scenario-schema';
import { eventLog, sampleScenarioInput } from './testing';

const scenario = scenarioSchema.parse(sampleScenarioInput());
// The sample's critical point "no-disclosure" has no weight: it weighs as much as the heaviest point (3).
// Weights: no-disclosure 3 (critical), checked-first 2, logged 3, understood 1 = 9. Pass mark 80 %.

/** A scenario like the sample, with a choice at the opening tagged under a point. */
function withTaggedChoices(): Scenario {
	const input = sampleScenarioInput() as ReturnType<typeof sampleScenarioInput> & Record<string, unknown>;
	const nodes = input.dialogue.nodes as Array<Record<string, unknown>>;
	const opening = nodes.find((n) => n.id === 'opening')!;
	const choices = opening.choices as Array<Record<string, unknown>>;
	choices.find((c) => c.id === 'decline')!.quality = 'poor';
	choices.find((c) => c.id === 'decline')!.point = 'checked-first';
	choices.find((c) => c.id === 'hold')!.quality = 'best';
	choices.find((c) => c.id === 'hold')!.point = 'checked-first';
	choices.find((c) => c.id === 'tell')!.quality = 'critical';
	choices.find((c) => c.id === 'tell')!.point = 'no-disclosure';
	return scenarioSchema.parse(input);
}

function modelLog() {
	const log = eventLog();
	const checked = log.core('third-party.authority.checked', { subject: 'cust-1', details: { found: false } });
	const declined = log.dialogue('explained.no.authority');
	const understood = log.dialogue('confirmed.caller.understood');
	const ended = log.dialogue('dialogue.ended', { details: { node: 'thanks' } });
	const logged = log.core('interaction.logged', { subject: 'cust-1', details: { partyType: 'unauthorised-third-party' } });
	return { log, checked, declined, understood, ended, logged };
}

describe('markAttempt: the pass rule (no critical miss and the score at the pass mark)', () => {
	it('meets every point of a model attempt, with evidence, and evidences every criterion', () => {
		const { log, checked, declined, understood, ended, logged } = modelLog();
		const result = markAttempt(scenario, log.events, { seedIds: { daniel: 'cust-1' } });
		expect(result.points.map(({ id, met, outcome, critical, weight, earned, evidence, feedback }) => ({ id, met, outcome, critical, weight, earned, evidence, feedback }))).toEqual([
			{ id: 'no-disclosure', met: true, outcome: 'met', critical: true, weight: 3, earned: 3, evidence: [], feedback: 'Nothing disclosed.' },
			{ id: 'checked-first', met: true, outcome: 'met', critical: false, weight: 2, earned: 2, evidence: [checked.id, declined.id], feedback: 'Checked first.' },
			{ id: 'logged', met: true, outcome: 'met', critical: false, weight: 3, earned: 3, evidence: [ended.id, logged.id], feedback: 'Logged.' },
			{ id: 'understood', met: true, outcome: 'met', critical: false, weight: 1, earned: 1, evidence: [understood.id], feedback: 'Checked.' }
		]);
		expect(result).toMatchObject({ ruleVersion: PASS_RULE_VERSION, score: 100, earned: 9, possible: 9, passMark: 80, scorePassed: true, passed: true, criticalMisses: [], endedEarly: false });
		expect(result.criteriaEvidenced).toEqual(['PC11', 'EMP03', 'AC06']);
	});

	it('a critical miss costs its weight too: the score is never 100 % beside a fail', () => {
		const log = eventLog();
		log.core('third-party.authority.checked', { subject: 'cust-1' });
		log.dialogue('explained.no.authority');
		const disclosed = log.core('disclosure.made', { subject: 'cust-1', fields: ['balance'], details: { authorised: false } });
		log.dialogue('confirmed.caller.understood');
		log.dialogue('dialogue.ended', { details: { node: 'thanks' } });
		log.core('interaction.logged', { subject: 'cust-1' });

		const result = markAttempt(scenario, log.events, { seedIds: { daniel: 'cust-1' } });

		expect(result.points[0]).toMatchObject({ id: 'no-disclosure', met: false, outcome: 'missed', earned: 0, evidence: [disclosed.id], feedback: 'You disclosed the balance.' });
		expect(result).toMatchObject({ score: 66.7, earned: 6, possible: 9, passed: false, scorePassed: false, criticalMisses: ['no-disclosure'] });
	});

	it('a score under the pass mark fails with no critical miss, and one at the pass mark passes', () => {
		const { log } = modelLog();
		// Without "understood" (1 of 9): 88.9 % passes at 80; at a pass mark of 90 it does not.
		const events = log.events.filter((e) => e.name !== 'confirmed.caller.understood');
		expect(markAttempt(scenario, events, { seedIds: { daniel: 'cust-1' } })).toMatchObject({ score: 88.9, passed: true });
		const strict = { ...scenario, passMark: 90 };
		const result = markAttempt(strict, events, { seedIds: { daniel: 'cust-1' } });
		expect(result).toMatchObject({ score: 88.9, passMark: 90, scorePassed: false, passed: false, criticalMisses: [] });
		const verdict = verdictOf(result);
		expect(verdict.headline).toBe('Not passed — score below the pass mark');
		expect(verdict.critical).toMatchObject({ ok: true, label: 'Critical points: none missed' });
		expect(verdict.score).toMatchObject({ ok: false, label: 'Score 88.9 % (pass mark 90 %)' });
	});

	it('a conversation that ended early earns nothing for mistakes merely not made, and they are not critical misses', () => {
		const log = eventLog();
		log.dialogue('explained.no.authority');
		// No dialogue.ended: the learner ended the attempt mid-call.
		const result = markAttempt(scenario, log.events);
		expect(result.endedEarly).toBe(true);
		expect(result.points.find((p) => p.id === 'no-disclosure')).toMatchObject({ outcome: 'not-reached', met: false, earned: 0 });
		expect(result).toMatchObject({ criticalMisses: [], score: 0, passed: false });

		// An end node marked early counts the same way.
		const early = structuredClone(scenario);
		early.dialogue.nodes.find((n) => n.id === 'thanks')!.early = true;
		const ended = eventLog();
		ended.dialogue('dialogue.ended', { details: { node: 'thanks' } });
		expect(markAttempt(early, ended.events).endedEarly).toBe(true);
		expect(markAttempt(scenario, ended.events).endedEarly).toBe(false);

		// "So far", for an attempt still under way, a mistake not yet made counts as avoided.
		expect(markAttempt(scenario, log.events, { inProgress: true }).points.find((p) => p.id === 'no-disclosure')).toMatchObject({ outcome: 'met', met: true });
	});

	it('a tagged choice scales its point by its credit, the lowest counting; a critical one misses a critical point', () => {
		const tagged = withTaggedChoices();
		const { log } = modelLog();
		const base = markAttempt(tagged, log.events, { seedIds: { daniel: 'cust-1' } });
		expect(base.score).toBe(100);

		// A "poor" choice under checked-first: the rule holds but the point earns 0 of 2.
		const poor = eventLog();
		const choice = poor.dialogue('choice.made', { details: { node: 'opening', choice: 'decline', quality: 'poor', credit: 0, point: 'checked-first' } });
		for (const e of log.events) poor.events.push({ ...e, id: `m${e.id}`, seq: e.seq + 100 });
		const result = markAttempt(tagged, poor.events, { seedIds: { daniel: 'cust-1' } });
		expect(result.points.find((p) => p.id === 'checked-first')).toMatchObject({ outcome: 'missed', earned: 0 });
		expect(result.points.find((p) => p.id === 'checked-first')!.evidence).toContain(choice.id);
		expect(result.score).toBe(77.8);

		// Credit 50 (acceptable) earns half the weight: "met in part".
		const half = structuredClone(poor.events);
		half[0] = { ...half[0]!, details: { ...half[0]!.details, quality: 'acceptable', credit: 50 } };
		expect(markAttempt(tagged, half, { seedIds: { daniel: 'cust-1' } }).points.find((p) => p.id === 'checked-first')).toMatchObject({ outcome: 'part-met', met: true, earned: 1 });

		// A critical choice misses its critical point even when its rule holds.
		const critical = structuredClone(poor.events);
		critical[0] = { ...critical[0]!, details: { node: 'opening', choice: 'tell', quality: 'critical', credit: 0, point: 'no-disclosure' } };
		const failed = markAttempt(tagged, critical, { seedIds: { daniel: 'cust-1' } });
		expect(failed).toMatchObject({ passed: false, criticalMisses: ['no-disclosure'] });
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

	const NAMES = ['third-party.authority.checked', 'explained.no.authority', 'confirmed.caller.understood', 'interaction.logged', 'disclosure.made', 'dialogue.ended', 'choice.made'];
	const anyLog = fc.array(fc.record({ name: fc.constantFrom(...NAMES), quality: fc.constantFrom('best', 'acceptable', 'poor', 'critical'), point: fc.constantFrom('no-disclosure', 'checked-first', 'logged', 'understood') }), { maxLength: 12 });
	const build = (items: { name: string; quality: string; point: string }[]) => {
		const log = eventLog();
		for (const item of items) {
			if (item.name === 'choice.made') {
				const credit = { best: 100, acceptable: 50, poor: 0, critical: 0 }[item.quality]!;
				log.dialogue('choice.made', { details: { node: 'opening', choice: 'x', quality: item.quality, credit, point: item.point } });
			} else if (item.name === 'dialogue.ended') log.dialogue('dialogue.ended', { details: { node: 'thanks' } });
			else if (item.name === 'disclosure.made') log.core('disclosure.made', { subject: 'cust-1', fields: ['balance'], details: { authorised: false } });
			else if (item.name.includes('.logged') || item.name.includes('checked')) log.core(item.name, { subject: 'cust-1' });
			else log.dialogue(item.name);
		}
		return log.events;
	};

	it('property: passed exactly when no critical point is missed and the score reaches the pass mark; the score is the weight earned over the weight available', () => {
		fc.assert(
			fc.property(anyLog, fc.integer({ min: 1, max: 100 }), (items, passMark) => {
				const result = markAttempt({ ...scenario, passMark }, build(items), { seedIds: { daniel: 'cust-1' } });
				expect(result.score).toBeGreaterThanOrEqual(0);
				expect(result.score).toBeLessThanOrEqual(100);
				expect(result.passed).toBe(result.criticalMisses.length === 0 && result.score >= passMark);
				expect(result.possible).toBe(9);
				expect(result.score).toBeCloseTo((result.earned / result.possible) * 100, 0);
				// A fail never shows full marks, and every point missed or not reached earned nothing.
				if (result.criticalMisses.length > 0) expect(result.score).toBeLessThan(100);
				for (const p of result.points) if (!p.met) expect(p.earned).toBe(0);
			})
		);
	});

	it('property: the verdict never shows "Not passed" without a reason, nor "Passed" with a critical miss or a score under the mark', () => {
		fc.assert(
			fc.property(anyLog, fc.integer({ min: 1, max: 100 }), (items, passMark) => {
				const result = markAttempt({ ...scenario, passMark }, build(items), { seedIds: { daniel: 'cust-1' } });
				const verdict = verdictOf(result);
				expect(verdict.headline.startsWith('Passed')).toBe(result.passed);
				expect(verdict.reason.length).toBeGreaterThan(10);
				expect(verdict.critical.ok && verdict.score!.ok).toBe(result.passed);
			})
		);
	});
});

describe('verdictOf', () => {
	it('leads with the critical error and the rule it broke, by name', () => {
		const result: MarkingResult = {
			ruleVersion: 2,
			points: [
				{ id: 'c', description: 'Gave the caller nothing.', met: false, outcome: 'missed', critical: true, weight: 5, earned: 0, evidence: ['e1'], feedback: 'You told Mrs Hughes the balance. Nobody was authorised.', rule: 'UK GDPR Art 5(1)(f) (confidentiality)', criteria: ['EMP03'] },
				{ id: 'n', description: 'Logged the call.', met: true, outcome: 'met', critical: false, weight: 5, earned: 5, evidence: ['e2'], feedback: 'Logged.', criteria: ['AC06'] }
			],
			score: 50,
			earned: 5,
			possible: 10,
			passMark: 80,
			scorePassed: false,
			passed: false,
			criticalMisses: ['c'],
			criteriaEvidenced: ['AC06']
		};
		expect(verdictOf(result)).toMatchObject({
			headline: 'Not passed — 1 critical error',
			critical: { ok: false, label: 'Critical points: 1 missed' },
			score: { ok: false, label: 'Score 50 % (pass mark 80 %)' },
			reason: 'UK GDPR Art 5(1)(f) (confidentiality): You told Mrs Hughes the balance.'
		});
	});

	it('reads a result stored before the pass rule as it was decided then: no pass mark, passed meant no critical miss', () => {
		const old: MarkingResult = { points: [], score: 100, earned: 0, possible: 0, passed: false, criticalMisses: ['x'], criteriaEvidenced: [] };
		const verdict = verdictOf(old);
		expect(verdict.score).toBeNull();
		expect(verdict.headline).toBe('Not passed — 1 critical error');
		expect(verdict.reason).toBe('A critical point was missed.');
	});

	it('takes the first sentence of feedback, and puts the rule first', () => {
		expect(firstSentence('You read his postcode out. That confirms it.')).toBe('You read his postcode out.');
		expect(firstSentence('One   line\nonly')).toBe('One line only');
		expect(missLine({ rule: 'DPA 2018 s170', feedback: 'You gave it away. Bad.', description: 'd' })).toBe('DPA 2018 s170: You gave it away.');
		expect(missLine({ feedback: '', description: 'Logged the call.' })).toBe('Logged the call.');
	});
});
