import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServerTestDb } from '$lib/server/testing';
import { currentScenarios, currentVersionOf, findScenarioVersion, loadScenarioVersion, syncBuiltInScenarios } from './scenarios';

const copies: string[] = [];
afterAll(() => {
	for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

function copyOfLibrary(): string {
	const dir = mkdtempSync(join(tmpdir(), 'custodian-scenarios-'));
	cpSync('scenarios', dir, { recursive: true });
	copies.push(dir);
	return dir;
}

describe('the scenario library', () => {
	it('publishes every built-in scenario once, and again only when its content changes', async () => {
		const db = await createServerTestDb();
		const dir = copyOfLibrary();
		const first = await syncBuiltInScenarios(db, dir);
		expect(first.errors).toEqual([]);
		expect(first.published.length).toBeGreaterThanOrEqual(2);
		expect((await syncBuiltInScenarios(db, dir)).published).toEqual([]);

		const before = (await currentVersionOf(db, 'spouse-caller'))!;
		const file = join(dir, 'spouse-caller.yaml');
		writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: "The spouse caller (revised)"'));
		const again = await syncBuiltInScenarios(db, dir);
		expect(again.published).toHaveLength(1);
		const after = (await currentVersionOf(db, 'spouse-caller'))!;
		expect(after.id).not.toBe(before.id);
		expect(after.title).toBe('The spouse caller (revised)');
		// the old version stays, for the attempts pinned to it
		const old = (await findScenarioVersion(db, before.id))!;
		expect(old.current).toBe(false);
		expect(loadScenarioVersion(old).scenario.title).not.toBe('The spouse caller (revised)');
		expect((await currentScenarios(db)).filter((s) => s.scenarioId === 'spouse-caller')).toHaveLength(1);
	});

	it('does not publish a broken file and keeps its last good version current', async () => {
		const db = await createServerTestDb();
		const dir = copyOfLibrary();
		await syncBuiltInScenarios(db, dir);
		const good = (await currentVersionOf(db, 'spouse-caller'))!;
		writeFileSync(join(dir, 'spouse-caller.yaml'), 'id: spouse-caller\ntitle: [unclosed');
		const result = await syncBuiltInScenarios(db, dir);
		expect(result.errors.length).toBeGreaterThan(0);
		expect((await currentVersionOf(db, 'spouse-caller'))?.id).toBe(good.id);
	});
});
