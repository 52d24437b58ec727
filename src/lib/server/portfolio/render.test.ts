import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortfolioAttempt, PortfolioContent } from './content';
import { renderPortfolio } from './render';

const dir = mkdtempSync(join(tmpdir(), 'custodian-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AT = '2025-03-07T15:41:00.000Z';
const LEARNER = 'Zoë Łukasiewicz';

/** One attempt whose evidence includes narration (no speaker) and points with no event to show. */
const attempt: PortfolioAttempt = {
	id: 'attempt-1',
	title: 'A caller asks about her husband’s account',
	scenarioId: 'spouse-caller',
	version: '1.2.0',
	brief: 'Take the call.',
	startedAt: AT,
	endedAt: AT,
	score: 60,
	passed: false,
	verdict: {
		headline: 'Not passed — 1 critical error',
		checks: ['Critical points: 1 missed ✗', 'Score 60 % (pass mark 80 %) ✗'],
		reason: 'UK GDPR Art 5(1)(f): You confirmed the balance to a caller with no authority.'
	},
	transcript: [
		{ seq: 1, at: AT, who: 'Sarah Hughes', text: 'Hiya, I’m ringing about my husband’s account.' },
		{ seq: 2, at: AT, who: LEARNER, text: '“I’m sorry, I can’t discuss the account with you.”' },
		{ seq: 3, at: AT, who: '', text: 'Sarah sighs and rings off.' }
	],
	points: [
		{
			id: 'ended-politely',
			description: 'Ended the call politely.',
			met: true,
			outcome: 'met',
			critical: false,
			weight: 2,
			earned: 2,
			rule: null,
			instead: null,
			criteria: ['PC01'],
			feedback: 'Well done.',
			evidence: [
				{ seq: 2, at: AT, who: LEARNER, text: '“I’m sorry, I can’t discuss the account with you.”' },
				{ seq: 3, at: AT, who: '', text: 'Sarah sighs and rings off.' }
			]
		},
		{ id: 'no-disclosure', description: 'Gave the caller no information about the account.', met: true, outcome: 'met', critical: true, weight: 4, earned: 4, rule: null, instead: null, criteria: [], feedback: 'Nothing was disclosed.', evidence: [] },
		{ id: 'explained', description: 'Explained how the account holder can add her.', met: false, outcome: 'missed', critical: false, weight: 2, earned: 0, rule: null, instead: null, criteria: [], feedback: 'Explain the route.', evidence: [] },
		{
			id: 'no-balance',
			description: 'Kept the balance to the account holder.',
			met: false,
			outcome: 'missed',
			critical: true,
			weight: 2,
			earned: 0,
			rule: 'UK GDPR Art 5(1)(f)',
			instead: 'Check the account for a recorded authority before saying anything about it.',
			criteria: [],
			feedback: 'You confirmed the balance to a caller with no authority. That is a personal data breach.',
			evidence: [{ seq: 2, at: AT, who: LEARNER, text: '“I’m sorry, I can’t discuss the account with you.”' }]
		}
	],
	reflection: null,
	decisions: []
};

const content: PortfolioContent = {
	documentId: 'CUS-TEST-0001',
	kind: 'attempt',
	issuedAt: AT,
	centre: 'Northwind Training Centre',
	unit: 'Process information about customers',
	learner: { name: LEARNER },
	evidenceFrom: AT,
	evidenceTo: AT,
	coverage: [],
	attempts: [attempt],
	testimony: [],
	observations: [],
	workplace: []
};

let text = '';
let file = '';

beforeAll(async () => {
	const chunks: Buffer[] = [];
	await renderPortfolio(content, { origin: 'https://custodian.example', contentHash: '0'.repeat(64), onData: (c) => chunks.push(c), pause: async () => {} });
	file = join(dir, 'attempt.pdf');
	writeFileSync(file, Buffer.concat(chunks));
	// Reading order, not layout: a table cell's lines stay together. Words joined by single spaces.
	text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
}, 30_000);

describe('an attempt read back with pdftotext', () => {
	it('prints narration without a speaker: never " : " before it', () => {
		expect(text).toContain('15:41 Sarah sighs and rings off.');
		expect(text).not.toContain(' : ');
	});

	it('names the learner on their lines', () => {
		expect(text).toContain(`${LEARNER}: “I’m sorry`);
	});

	it('prints the verdict, both checks with ✓ or ✗ in words, and the reason', () => {
		expect(text).toContain('Automatic marking: Not passed — 1 critical error');
		expect(text).toContain('Critical points: 1 missed ✗');
		expect(text).toContain('Score 60 % (pass mark 80 %) ✗');
		expect(text).toContain('Why: UK GDPR Art 5(1)(f): You confirmed the balance');
	});

	it('puts critical errors first in the marking points, with the rule named and what to do instead', () => {
		const table = text.slice(text.indexOf('Marking points'));
		expect(table.indexOf('Kept the balance')).toBeLessThan(table.indexOf('Ended the call politely'));
		expect(table).toContain('Critical error, 0 of 2 marks');
		expect(table).toContain('The rule: UK GDPR Art 5(1)(f).');
		expect(table).toContain('What to do instead: Check the account');
	});

	it('says what a point without evidence means instead of "No event"', () => {
		expect(text).not.toContain('No event');
		expect(text).toContain('Nothing to point to: met because something did not happen.');
		expect(text).toContain('Nothing in the attempt shows this.');
	});
});
