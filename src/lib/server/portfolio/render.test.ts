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
	passed: true,
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
			critical: false,
			criteria: ['PC01'],
			feedback: 'Well done.',
			evidence: [
				{ seq: 2, at: AT, who: LEARNER, text: '“I’m sorry, I can’t discuss the account with you.”' },
				{ seq: 3, at: AT, who: '', text: 'Sarah sighs and rings off.' }
			]
		},
		{ id: 'no-disclosure', description: 'Gave the caller no information about the account.', met: true, critical: true, criteria: [], feedback: 'Nothing was disclosed.', evidence: [] },
		{ id: 'explained', description: 'Explained how the account holder can add her.', met: false, critical: false, criteria: [], feedback: 'Explain the route.', evidence: [] }
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
	observations: []
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

	it('says what a point without evidence means instead of "No event"', () => {
		expect(text).not.toContain('No event');
		expect(text).toContain('Nothing to point to: met because something did not happen.');
		expect(text).toContain('Nothing in the attempt shows this.');
	});
});
