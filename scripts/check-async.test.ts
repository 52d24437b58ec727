import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findUnawaited, projectProgram } from './check-async.js';

describe('promises in the code base (npm run check:async)', () => {
	it('are all awaited, returned or handed on', () => {
		const findings = findUnawaited(projectProgram('.'), process.cwd());
		// Each line names the file and line: await the call, or return it, or write `void p.catch(…)`
		// where dropping it is meant; an interface member that an async function implements returns Promise.
		expect(findings, findings.join('\n')).toEqual([]);
	}, 240_000);
});

describe('check-async', () => {
	let root: string | undefined;
	afterEach(() => {
		if (root) rmSync(root, { recursive: true, force: true });
	});

	function findingsIn(source: string): string[] {
		root = mkdtempSync(join(tmpdir(), 'check-async-'));
		const files: Record<string, string> = {
			'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'es2022', moduleResolution: 'bundler', lib: ['es2022'], types: [] }, include: ['src/**/*.ts'] }),
			'src/code.ts': source
		};
		for (const [path, text] of Object.entries(files)) {
			mkdirSync(join(root, dirname(path)), { recursive: true });
			writeFileSync(join(root, path), text);
		}
		return findUnawaited(projectProgram(root), root);
	}

	const save = 'async function save(): Promise<number> { return 1; }\n';

	it('finds a call whose promise nobody awaits', () => {
		expect(findingsIn(`${save}export async function f() { save(); }`)).toEqual([expect.stringMatching(/^src\/code\.ts:2: a promise nobody awaits: save\(\)/)]);
	});

	it('passes a call awaited, returned, voided or chained', () => {
		expect(findingsIn(`${save}export async function f() { await save(); void save(); save().catch(() => 0); return save(); }`)).toEqual([]);
	});

	it('finds an async function given where a void one is expected, as a callback or an interface member', () => {
		const found = findingsIn(`${save}interface Sink { put(n: number): void }\nexport const sink: Sink = { async put() { await save(); } };\nexport function on(f: () => void) { f(); }\non(async () => { await save(); });`);
		expect(found).toHaveLength(2);
		expect(found[0]).toMatch(/^src\/code\.ts:3: an async function where a function returning void is expected/);
		expect(found[1]).toMatch(/^src\/code\.ts:5: an async function/);
	});

	it('passes an async function where a promise is expected', () => {
		expect(findingsIn(`${save}export function on(f: () => Promise<void>) { return f(); }\nexport const done = on(async () => { await save(); });`)).toEqual([]);
	});
});
