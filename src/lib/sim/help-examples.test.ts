import { describe, expect, it } from 'vitest';
import { isMap, parse, parseDocument, stringify } from 'yaml';
import { HELP_TOPIC_SLUGS, HELP_TOPICS, helpTopic } from '../help/topics';
import { checkSource } from './scenario-source';

/**
 * The help's worked examples are pieces of one scenario: put together (maps merged key by key, lists
 * joined, a value given twice only if it is the same) they must make a file that passes every check of
 * `npm run scenarios:check`, so help can never show an example that would not work.
 */
type Yaml = unknown;

function merge(a: Yaml, b: Yaml, path: string): Yaml {
	if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
	const isObject = (v: Yaml): v is Record<string, Yaml> => typeof v === 'object' && v !== null && !Array.isArray(v);
	if (isObject(a) && isObject(b)) {
		const out: Record<string, Yaml> = { ...a };
		for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v, `${path}.${k}`) : v;
		return out;
	}
	if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`two examples give ${path} different values`);
	return a;
}

function assembled(): string {
	let whole: Yaml = {};
	for (const topic of HELP_TOPICS) whole = merge(whole, parse(topic.example.yaml), '');
	return stringify(whole, { lineWidth: 0 });
}

describe('help topics', () => {
	it('has one topic for each slug, in order', () => {
		expect(HELP_TOPICS.map((t) => t.slug)).toEqual([...HELP_TOPIC_SLUGS]);
		for (const slug of HELP_TOPIC_SLUGS) expect(helpTopic(slug)?.slug).toBe(slug);
	});

	it('knows no topic by any other name', () => {
		for (const other of ['', 'Overview', 'overview/', '../yaml', 'constructor', '__proto__', 'toString']) expect(helpTopic(other)).toBeUndefined();
	});

	it('links only to topics that exist', () => {
		for (const topic of HELP_TOPICS) for (const slug of topic.related) expect(helpTopic(slug), `${topic.slug} → ${slug}`).toBeDefined();
	});

	it('gives every example as a YAML map with no syntax error, indented with spaces', () => {
		for (const topic of HELP_TOPICS) {
			const doc = parseDocument(topic.example.yaml);
			expect(doc.errors, topic.slug).toEqual([]);
			expect(isMap(doc.contents), topic.slug).toBe(true);
			expect(topic.example.yaml, topic.slug).not.toMatch(/\t/);
		}
	});

	it('puts the examples together into a scenario that passes every check', async () => {
		const result = await checkSource('scenarios/balance-enquiry.yaml', assembled());
		expect(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([]);
	});

	it('fails the check when an example is left out, so each example is needed and checked', async () => {
		for (const left of ['customers', 'events', 'marking'] as const) {
			let whole: Yaml = {};
			for (const topic of HELP_TOPICS) if (topic.slug !== left) whole = merge(whole, parse(topic.example.yaml), '');
			expect((await checkSource('scenarios/balance-enquiry.yaml', stringify(whole))).ok, left).toBe(false);
		}
	});

	it('refuses the mistakes the help warns of, as the help says', async () => {
		const whole = assembled();
		const problems = async (source: string) => {
			const result = await checkSource('scenarios/balance-enquiry.yaml', source);
			return result.ok ? '' : result.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
		};
		const slips: [string, string, string, RegExp][] = [
			['a number without quotes', 'mobilePhone: 07700 900512', 'mobilePhone: 7700900512', /quote numbers/],
			['a critical choice under a point that is not critical', 'point: no-disclosure-before-verifying', 'point: asked-security-questions', /critical/],
			['a start time without its offset', 'start: 2025-03-07T15:40:00+00:00', 'start: 2025-03-07T15:40:00', /offset/],
			['a choice and a rule naming an event nobody declared', 'name: asked.security.questions', 'name: asked.security.question', /unknown event "asked\.security\.questions"/],
			['a tab in the indentation', '\n  start: opening', '\n\tstart: opening', /[Tt]ab/]
		];
		for (const [slip, from, to, message] of slips) {
			expect(whole, slip).toContain(from);
			expect(await problems(whole.replace(from, to)), slip).toMatch(message);
		}
	});
});
