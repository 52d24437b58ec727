import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from './events';
import { evaluateRule } from './rules';
import { rule as ruleSchema, type EventMatcher, type Rule } from './scenario-schema';

// A small world, so that random rules and random logs often meet.
const NAMES = ['disclosure.made', 'identity.verified', 'interaction.logged', 'asked.caller.for.dob'] as const;
const FIELDS = ['balance', 'postcode', 'email'] as const;

const eventsArb: fc.Arbitrary<SimEvent[]> = fc
	.array(
		fc.record({
			name: fc.constantFrom(...NAMES),
			gapMinutes: fc.integer({ min: 0, max: 90 }),
			level: fc.integer({ min: 0, max: 2 }),
			authorised: fc.boolean(),
			fields: fc.subarray([...FIELDS]),
			subject: fc.constantFrom('cust-1', 'cust-2')
		}),
		{ maxLength: 12 }
	)
	.map((drafts) => {
		let at = Date.parse('2025-03-07T15:40:00Z');
		return drafts.map((d, i): SimEvent => {
			at += d.gapMinutes * 60_000;
			return {
				id: `e${i + 1}`,
				seq: i + 1,
				at: new Date(at).toISOString(),
				source: d.name === 'asked.caller.for.dob' ? 'dialogue' : 'core',
				name: d.name,
				subject: d.subject,
				fields: d.fields,
				details: { level: d.level, authorised: d.authorised, tags: d.fields }
			};
		});
	});

const matcherArb: fc.Arbitrary<EventMatcher> = fc
	.record(
		{
			event: fc.constantFrom(...NAMES),
			where: fc.oneof(
				fc.record({ level: fc.integer({ min: 0, max: 2 }) }),
				fc.record({ authorised: fc.boolean() }),
				fc.record({ level: fc.record({ in: fc.subarray([0, 1, 2], { minLength: 1 }) }) }),
				fc.record({ tags: fc.record({ contains: fc.constantFrom(...FIELDS) }) })
			),
			fields: fc.oneof(fc.record({ any: fc.subarray([...FIELDS], { minLength: 1 }) }), fc.record({ all: fc.subarray([...FIELDS], { minLength: 1 }) })),
			subject: fc.constantFrom('cust-1', 'cust-2')
		},
		{ requiredKeys: ['event'] }
	)
	.map((m) => m as EventMatcher);

const { rule: ruleArb } = fc.letrec<{ rule: Rule }>((tie) => ({
	rule: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		fc.record({ exists: matcherArb }),
		fc.record({ absent: matcherArb }),
		fc.record({ before: fc.record({ first: matcherArb, then: matcherArb }) }),
		fc
			.tuple(matcherArb, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
			.map(([m, a, b]) => ({ count: { ...m, min: Math.min(a, b), max: Math.max(a, b) } })),
		fc.tuple(matcherArb, fc.integer({ min: 0, max: 2 })).map(([m, level]) => ({ fieldEquals: { ...m, path: 'level', equals: level } })),
		fc
			.tuple(matcherArb, matcherArb, fc.integer({ min: 1, max: 120 }))
			.map(([event, after, minutes]) => ({ within: { event, after, minutes } })),
		fc.record({ all: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
		fc.record({ any: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
		fc.record({ not: tie('rule') })
	)
}));

/** A list and a permutation of it. */
function permutedPair<T>(items: T[]): fc.Arbitrary<[T[], T[]]> {
	return fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }));
}

describe('rule laws (property-based)', () => {
	it('generates only rules the schema accepts', () => {
		fc.assert(fc.property(ruleArb, (rule) => ruleSchema.safeParse(rule).success));
	});

	it('not(not(r)) is r, outcome and evidence', () => {
		fc.assert(
			fc.property(ruleArb, eventsArb, (rule, events) => {
				expect(evaluateRule({ not: { not: rule } }, events)).toEqual(evaluateRule(rule, events));
			})
		);
	});

	it('all([r]) and any([r]) are r', () => {
		fc.assert(
			fc.property(ruleArb, eventsArb, (rule, events) => {
				const plain = evaluateRule(rule, events);
				expect(evaluateRule({ all: [rule] }, events)).toEqual(plain);
				expect(evaluateRule({ any: [rule] }, events)).toEqual(plain);
			})
		);
	});

	it('the order of the rules in any and all never changes the result', () => {
		fc.assert(
			fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 4 }).chain(permutedPair), eventsArb, ([rules, permuted], events) => {
				expect(evaluateRule({ any: permuted }, events)).toEqual(evaluateRule({ any: rules }, events));
				expect(evaluateRule({ all: permuted }, events)).toEqual(evaluateRule({ all: rules }, events));
			})
		);
	});

	it('De Morgan: not(all(a, b)) is any(not a, not b), evidence included', () => {
		fc.assert(
			fc.property(ruleArb, ruleArb, eventsArb, (a, b, events) => {
				expect(evaluateRule({ not: { all: [a, b] } }, events)).toEqual(evaluateRule({ any: [{ not: a }, { not: b }] }, events));
				expect(evaluateRule({ not: { any: [a, b] } }, events)).toEqual(evaluateRule({ all: [{ not: a }, { not: b }] }, events));
			})
		);
	});

	it('absent is not(exists), and exists is count with min 1', () => {
		fc.assert(
			fc.property(matcherArb, eventsArb, (m, events) => {
				expect(evaluateRule({ absent: m }, events)).toEqual(evaluateRule({ not: { exists: m } }, events));
				expect(evaluateRule({ exists: m }, events)).toEqual(evaluateRule({ count: { ...m, min: 1 } }, events));
			})
		);
	});

	it('is deterministic and does not depend on the order the events are given in', () => {
		fc.assert(
			fc.property(ruleArb, eventsArb.chain(permutedPair), (rule, [events, permuted]) => {
				const first = evaluateRule(rule, events);
				expect(evaluateRule(rule, events)).toEqual(first);
				expect(evaluateRule(rule, permuted)).toEqual(first);
			})
		);
	});

	it('gives as evidence only events of the log, in log order, each once', () => {
		fc.assert(
			fc.property(ruleArb, eventsArb, (rule, events) => {
				const { evidence } = evaluateRule(rule, events);
				const seqOf = new Map(events.map((e) => [e.id, e.seq]));
				expect(evidence.every((id) => seqOf.has(id))).toBe(true);
				const seqs = evidence.map((id) => seqOf.get(id)!);
				expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
			})
		);
	});

	it('a met absent rule, and a met rule over an empty log, show no evidence', () => {
		fc.assert(
			fc.property(matcherArb, eventsArb, (m, events) => {
				const result = evaluateRule({ absent: m }, events);
				if (result.met) expect(result.evidence).toEqual([]);
			})
		);
		fc.assert(
			fc.property(ruleArb, (rule) => {
				expect(evaluateRule(rule, []).evidence).toEqual([]);
			})
		);
	});
});
