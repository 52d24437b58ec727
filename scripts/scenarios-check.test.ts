import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

function run(...args: string[]) {
	const result = spawnSync('node', ['scripts/scenarios-check.js', ...args], { encoding: 'utf8' });
	return { status: result.status, lines: result.stdout.split('\n').filter(Boolean), summary: result.stderr.trim() };
}

describe('npm run scenarios:check', () => {
	let dir: string | undefined;
	afterEach(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('passes the library in scenarios/', () => {
		const { status, lines, summary } = run();
		expect(lines).toEqual([]);
		expect(summary).toMatch(/^scenarios:check: \d+ scenarios OK$/);
		expect(status).toBe(0);
	});

	it('prints each problem as file: path: message and fails', () => {
		dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
		writeFileSync(join(dir, 'broken.yaml'), 'id: broken\ntitle: [\n');
		writeFileSync(join(dir, 'half.yaml'), 'id: half\ntitle: Half a scenario\n');
		const { status, lines, summary } = run(dir);
		expect(lines[0]).toBe(`${join(dir, 'broken.yaml')}: line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]`);
		expect(lines).toContain(`${join(dir, 'half.yaml')}: version: missing (expected a string)`);
		expect(lines).toContain(`${join(dir, 'half.yaml')}: difficulty: missing (expected one of "foundation", "intermediate", "advanced")`);
		expect(lines.every((line) => line.startsWith(dir!))).toBe(true);
		expect(summary).toBe(`scenarios:check: ${lines.length} problems in 2 files`);
		expect(status).toBe(1);
	});

	it('reports a well-formed file whose seeded records the core refuses', () => {
		dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
		const text = readFileSync('scenarios/spouse-caller.yaml', 'utf8');
		const postcode = /postcode: (.+)/.exec(text)![1]!;
		writeFileSync(join(dir, 'spouse-caller.yaml'), text.replace(`postcode: ${postcode}`, 'postcode: NOT A POSTCODE'));
		const { status, lines } = run(dir);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(new RegExp(`^${join(dir, 'spouse-caller.yaml')}: seed\\.customers\\[0\\]\\.fields\\.contact\\.postcode: .*postcode`, 'i'));
		expect(status).toBe(1);
	});

	it('fails when there is nothing to check', () => {
		dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
		const { status, lines } = run(dir);
		expect(lines).toEqual([`${dir}: no scenario files (*.yaml) found`]);
		expect(status).toBe(1);
	});
});
