import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkSource, draftFile } from './scenario-source';
import { DIFFICULTIES, starterScenario } from './starter-scenario';

const check = async (scenarioId: string, title: string, difficulty: (typeof DIFFICULTIES)[number]) =>
	await checkSource(draftFile(scenarioId), starterScenario({ scenarioId, title, difficulty }));

describe('the starter scenario', () => {
	it('passes every check as it is, with the id, title and difficulty it was given', async () => {
		const checked = await check('new-starter', 'A caller checks her email address', 'intermediate');
		if (!checked.ok) expect(checked.errors).toEqual([]);
		expect(checked.ok).toBe(true);
		if (!checked.ok) return;
		expect(checked.loaded.scenario).toMatchObject({ id: 'new-starter', title: 'A caller checks her email address', difficulty: 'intermediate', version: '1.0.0' });
		expect(checked.loaded.scenario.personas.map((p) => p.key)).toEqual(['caller', 'team-leader']);
		expect(checked.loaded.scenario.marking.length).toBeGreaterThanOrEqual(2);
	});

	it('passes for any valid id, title (quotes, colons, unicode) and difficulty, and reads the title back as typed', async () => {
		const id = fc
			.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 4 })
			.map((parts) => parts.join('-'))
			.filter((s) => s.length >= 3 && s.length <= 60);
		const title = fc
			.oneof(fc.string({ unit: 'grapheme', maxLength: 140 }), fc.constantFrom('“Quoted”: a title', "It's a \"test\": yes", '# not a comment', 'Zoë O’Brien — 日本語 🎉', 'key: value\nnext'))
			.map((s) => s.trim())
			.filter((s) => s.length >= 3 && s.length <= 140);
		await fc.assert(
			fc.asyncProperty(id, title, fc.constantFrom(...DIFFICULTIES), async (scenarioId, t, difficulty) => {
				const checked = await check(scenarioId, t, difficulty);
				expect(checked.ok ? [] : checked.errors).toEqual([]);
				if (checked.ok) expect(checked.loaded.scenario.title).toBe(t);
			}),
			{ numRuns: 40 }
		);
	});
});
