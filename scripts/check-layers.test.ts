import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers, formatReport, importsOf } from './check-layers.js';

describe('the layers of src/ (npm run check:layers)', () => {
	it('hold: no upward import and no import cycle', () => {
		const lines = formatReport(checkLayers('.'));
		// Each line is `file → imported (rule)`: move the import down a layer (a shared type goes to
		// $lib/views, a pure function to $lib/sim or $lib/core), never the rule.
		expect(lines, `layer violations:\n${lines.join('\n')}`).toEqual([]);
	});
});

describe('check-layers', () => {
	let root: string | undefined;
	afterEach(() => {
		if (root) rmSync(root, { recursive: true, force: true });
	});

	function project(files: Record<string, string>) {
		root = mkdtempSync(join(tmpdir(), 'layers-'));
		for (const [path, text] of Object.entries(files)) {
			mkdirSync(join(root, dirname(path)), { recursive: true });
			writeFileSync(join(root, path), text);
		}
		return root;
	}

	it('prints each upward import as file → imported (rule), types and .svelte scripts included', () => {
		const dir = project({
			'src/lib/core/a.ts': "import { b } from '../sim/b';\nexport const a = b;\n",
			'src/lib/sim/b.ts': "import { page } from '$app/state';\nexport const b = page;\n",
			'src/lib/server/c.ts': "import type { Props } from '$lib/components/d';\nexport type C = Props;\n",
			'src/lib/components/d.ts': 'export type Props = { id: string };\n',
			'src/lib/components/E.svelte':
				"<script lang=\"ts\">\n\timport type { C } from '$lib/server/c';\n\tlet { c }: { c: C } = $props();\n</script>\n<p>{c}</p>\n",
			'src/lib/dates.ts': "import { x } from './server/c';\nexport const y = x;\n",
			'src/routes/+page.server.ts': "import { a } from '$lib/core/a';\nimport { c } from '$lib/server/c';\nexport const load = () => ({ a, c });\n"
		});
		expect(formatReport(checkLayers(dir))).toEqual([
			'src/lib/components/E.svelte → src/lib/server/c.ts (components import components, sim, core, views and lib-root leaves, never server)',
			'src/lib/core/a.ts → src/lib/sim/b.ts (core imports only core)',
			'src/lib/dates.ts → src/lib/server/c.ts (a lib-root leaf module imports only core)',
			'src/lib/server/c.ts → src/lib/components/d.ts (server imports core, sim, server, views and lib-root leaves, never components)',
			'src/lib/sim/b.ts → $app/state (sim imports only core, sim and lib-root leaves, nothing from SvelteKit)'
		]);
	});

	it('reports an import cycle by its path, and the other files of the same cycle', () => {
		const dir = project({
			'src/lib/sim/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
			'src/lib/sim/b.ts': "import type { A } from './c';\nexport const b = (): A => 1;\n",
			'src/lib/sim/c.ts': "import { a } from './a';\nimport { d } from './d';\nexport type A = number;\nexport const c = [a, d];\n",
			'src/lib/sim/d.ts': "import { c } from './c';\nexport const d = () => c;\n",
			'src/lib/sim/e.ts': "import { a } from './a';\nexport const e = a;\n"
		});
		expect(formatReport(checkLayers(dir))).toEqual([
			'src/lib/sim/a.ts → src/lib/sim/b.ts → src/lib/sim/c.ts → src/lib/sim/a.ts (no import cycles; the cycle also runs through src/lib/sim/d.ts)'
		]);
	});

	it('passes a tree whose imports all point down', () => {
		const dir = project({
			'src/lib/core/a.ts': "import { z } from 'zod';\nexport const a = z.string();\n",
			'src/lib/sim/b.ts': "import { a } from '$lib/core/a';\nexport const b = a;\n",
			'src/lib/views/v.ts': "import type { b } from '$lib/sim/b';\nexport type V = typeof b;\n",
			'src/lib/server/c.ts': "import { b } from '$lib/sim/b';\nimport type { V } from '$lib/views/v';\nexport const c: V = b;\n",
			'src/lib/components/D.svelte': "<script lang=\"ts\">\n\timport type { V } from '$lib/views/v';\n\tlet { v }: { v: V } = $props();\n</script>\n",
			'src/routes/+page.server.ts': "import { c } from '$lib/server/c';\nexport const load = () => ({ c });\n"
		});
		expect(checkLayers(dir)).toEqual({ files: 6, violations: [], cycles: [] });
	});

	it('lets a unit test, and only a test, use a stand-in peer from tests/support', () => {
		const dir = project({
			'tests/support/stand-in.ts': 'export const peer = 1;\n',
			'src/lib/server/a.test.ts': "import { peer } from '../../../tests/support/stand-in';\nexport const a = peer;\n",
			'src/lib/server/b.ts': "import { peer } from '../../../tests/support/stand-in';\nexport const b = peer;\n"
		});
		expect(formatReport(checkLayers(dir))).toEqual([
			'src/lib/server/b.ts → tests/support/stand-in.ts (server imports core, sim, server, views and lib-root leaves, never components)'
		]);
	});

	it('reads imports, not comments or strings that look like them', () => {
		const text = [
			"import a, { b } from './a';",
			'import {',
			'\tc,',
			'\ttype D',
			"} from '$lib/core/c';",
			"export * from './e';",
			"import './side-effect';",
			"const lazy = () => import('./lazy');",
			"// import { old } from './old';",
			"/* import { older } from './older'; */",
			"const text = 'we import x from y';"
		].join('\n');
		expect(importsOf(text, false).sort()).toEqual(['$lib/core/c', './a', './e', './lazy', './side-effect']);
		expect(importsOf(`<script lang="ts">\n${text}\n</script>\n<p>import x from './markup'</p>`, true)).toHaveLength(5);
	});

	it('runs as npm run check:layers, printing one line a problem and failing', () => {
		const dir = project({ 'src/lib/core/a.ts': "import { b } from '$lib/server/b';\n", 'src/lib/server/b.ts': 'export const b = 1;\n' });
		const result = spawnSync('node', ['scripts/check-layers.js', dir], { encoding: 'utf8' });
		expect(result.stdout.trim()).toBe('src/lib/core/a.ts → src/lib/server/b.ts (core imports only core)');
		expect(result.stderr.trim()).toBe('check:layers: 1 upward imports, 0 import cycles in 2 files');
		expect(result.status).toBe(1);
	});
});
