import { describe, expect, it } from 'vitest';
import { CRITERIA } from '$lib/criteria';
import type { AttemptSummary } from './attempts';
import { coverageOf } from './coverage';

const base: AttemptSummary = {
	id: 'a1',
	scenarioId: 'spouse-caller',
	scenarioVersion: '1.0.0+abc',
	title: 'The spouse caller',
	status: 'ended',
	startedAt: '2026-01-01T10:00:00Z',
	endedAt: '2026-01-01T10:20:00Z',
	score: 100,
	passed: true,
	criteriaEvidenced: ['PC01', 'EMP03']
};
const criteria = new Map([['spouse-caller', ['PC01', 'EMP03', 'PC05']]]);

describe('the coverage map', () => {
	it('lists every criterion of the unit, with no evidence before any attempt', () => {
		const rows = coverageOf([], criteria);
		expect(rows.map((r) => r.code)).toEqual(CRITERIA.map((c) => c.code));
		expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['none']));
	});

	it('shows a criterion met by a passed attempt, with that attempt as its evidence', () => {
		const rows = coverageOf([base], criteria);
		expect(rows.find((r) => r.code === 'EMP03')).toMatchObject({ state: 'met', attempts: [{ id: 'a1', state: 'met' }] });
		expect(rows.find((r) => r.code === 'PC05')?.state).toBe('none');
	});

	it('counts a failed attempt’s met points as in progress, not met', () => {
		const rows = coverageOf([{ ...base, passed: false }], criteria);
		expect(rows.find((r) => r.code === 'EMP03')?.state).toBe('in-progress');
	});

	it('shows the criteria of a scenario under way as in progress, and the best state wins', () => {
		const running: AttemptSummary = { ...base, id: 'a2', status: 'in-progress', endedAt: null, score: null, passed: null, criteriaEvidenced: [] };
		const rows = coverageOf([running, base], criteria);
		expect(rows.find((r) => r.code === 'PC05')).toMatchObject({ state: 'in-progress', attempts: [{ id: 'a2' }] });
		expect(rows.find((r) => r.code === 'PC01')?.state).toBe('met');
	});
});
