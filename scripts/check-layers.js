// `npm run check:layers`: the project's layers hold — every import in src/ points down, never up, and no
// module imports itself round a cycle. Prints each problem as `file → imported (rule)` and exits 1.
//
//   routes (and hooks) → $lib/server → $lib/sim → $lib/core
//   $lib/components    → $lib/sim, $lib/core, $lib/views          (never $lib/server)
//   $lib/views         → $lib/sim, $lib/core                       (types of what a page shows)
//   lib-root leaves    → $lib/core only                            (src/lib/criteria.ts, form-data.ts, dates.ts…)
//   a unit test (*.test.ts) may also use the stand-in peers in tests/support/ (an LMS, an LRS: real
//   servers on the loopback address that the tests talk to, never part of the app)
//
// `import type` counts: a type is a dependency too. Imports are read from .ts/.js files and the <script>
// blocks of .svelte files; `$lib/…` and relative paths are resolved to files, anything else is a package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = /\.(ts|js|svelte)$/;
const SVELTEKIT = /^(@sveltejs\/kit|\$app\/|\$env\/|\$service-worker)/;

/**
 * Which layer a file (path relative to the project root, with forward slashes) belongs to.
 * @param {string} file
 * @returns {'core' | 'sim' | 'server' | 'components' | 'views' | 'leaf' | 'app'}
 */
export function layerOf(file) {
	const m = /^src\/lib\/([^/]+)(\/)?/.exec(file);
	if (!m) return 'app';
	if (!m[2]) return 'leaf';
	const area = m[1];
	if (area === 'core' || area === 'sim' || area === 'server' || area === 'components' || area === 'views') return area;
	return 'leaf';
}

/**
 * The layers each layer may import from ('kit' is SvelteKit: @sveltejs/kit, $app/*, $env/*).
 * @type {Record<string, { may: string[], rule: string }>}
 */
const RULES = {
	core: { may: ['core'], rule: 'core imports only core' },
	sim: { may: ['core', 'sim', 'leaf'], rule: 'sim imports only core, sim and lib-root leaves' },
	server: {
		may: ['core', 'sim', 'server', 'leaf', 'views', 'kit'],
		rule: 'server imports core, sim, server, views and lib-root leaves, never components'
	},
	components: {
		may: ['core', 'sim', 'components', 'views', 'leaf', 'kit'],
		rule: 'components import components, sim, core, views and lib-root leaves, never server'
	},
	views: { may: ['core', 'sim', 'views', 'leaf'], rule: 'views (page shapes) import only core, sim and lib-root leaves' },
	leaf: { may: ['core', 'leaf'], rule: 'a lib-root leaf module imports only core' },
	app: { may: ['core', 'sim', 'server', 'components', 'views', 'leaf', 'kit', 'app'], rule: 'routes may import anything' }
};

/**
 * Every source file under dir, as absolute paths.
 * @param {string} dir
 * @returns {string[]}
 */
function sourceFiles(dir) {
	/** @type {string[]} */
	const out = [];
	for (const name of readdirSync(dir).sort()) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
		else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(path);
	}
	return out;
}

/**
 * The specifiers a file imports (static, re-exports, side-effect and dynamic imports; types included).
 * @param {string} text
 * @param {boolean} svelte
 * @returns {string[]}
 */
export function importsOf(text, svelte) {
	let code = text;
	if (svelte) {
		code = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
	}
	// Comments could hold example imports; strings could hold `//`. Blank comments out, keeping strings.
	code = code.replace(/('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m, str) =>
		str ? str : ' '
	);
	/** @type {string[]} */
	const specifiers = [];
	const patterns = [
		/(?:^|[;\n}])\s*(?:import|export)\s+(?:type\s+)?[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
		/(?:^|[;\n}])\s*import\s*['"]([^'"]+)['"]/g,
		/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g
	];
	for (const pattern of patterns) for (const m of code.matchAll(pattern)) specifiers.push(m[1]);
	return specifiers;
}

/**
 * The file a specifier names, or null for a package (or an unresolvable path).
 * @param {string} root
 * @param {string} from absolute path of the importing file
 * @param {string} specifier
 */
function resolveImport(root, from, specifier) {
	let base;
	if (specifier === '$lib' || specifier.startsWith('$lib/')) base = join(root, 'src/lib', specifier.slice(4));
	else if (specifier.startsWith('.')) base = resolve(dirname(from), specifier);
	else return null;
	const stem = base.replace(/\.js$/, '');
	const candidates = [base, `${stem}.ts`, `${stem}.js`, `${base}.ts`, `${base}.js`, `${base}.svelte`, join(base, 'index.ts'), join(base, 'index.js')];
	for (const candidate of candidates) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	return base;
}

/**
 * Strongly connected components of more than one file (or a file importing itself): Tarjan's algorithm.
 * @param {Map<string, Set<string>>} graph
 * @returns {string[][]}
 */
function cyclesOf(graph) {
	let index = 0;
	/** @type {Map<string, number>} */
	const indices = new Map();
	/** @type {Map<string, number>} */
	const low = new Map();
	/** @type {string[]} */
	const stack = [];
	const onStack = new Set();
	/** @type {string[][]} */
	const components = [];

	/** @param {string} v */
	function connect(v) {
		indices.set(v, index);
		low.set(v, index);
		index++;
		stack.push(v);
		onStack.add(v);
		for (const w of graph.get(v) ?? []) {
			if (!indices.has(w)) {
				connect(w);
				low.set(v, Math.min(/** @type {number} */ (low.get(v)), /** @type {number} */ (low.get(w))));
			} else if (onStack.has(w)) {
				low.set(v, Math.min(/** @type {number} */ (low.get(v)), /** @type {number} */ (indices.get(w))));
			}
		}
		if (low.get(v) === indices.get(v)) {
			/** @type {string[]} */
			const component = [];
			let w;
			do {
				w = /** @type {string} */ (stack.pop());
				onStack.delete(w);
				component.push(w);
			} while (w !== v);
			if (component.length > 1 || graph.get(v)?.has(v)) components.push(component.sort());
		}
	}
	for (const v of [...graph.keys()].sort()) if (!indices.has(v)) connect(v);
	return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * One concrete path round a cycle, from the component's first file back to it (shortest, by breadth-first search).
 * @param {Map<string, Set<string>>} graph
 * @param {string[]} component
 * @returns {string[]}
 */
function cyclePath(graph, component) {
	const members = new Set(component);
	const start = component[0];
	/** @type {Map<string, string>} */
	const previous = new Map();
	const queue = [start];
	while (queue.length) {
		const v = /** @type {string} */ (queue.shift());
		for (const w of [...(graph.get(v) ?? [])].sort()) {
			if (!members.has(w)) continue;
			if (w === start) {
				const path = [start];
				for (let at = v; at !== start; at = /** @type {string} */ (previous.get(at))) path.splice(1, 0, at);
				return [...path, start];
			}
			if (!previous.has(w)) {
				previous.set(w, v);
				queue.push(w);
			}
		}
	}
	return component;
}

/**
 * Checks every import under root/src.
 * @param {string} root the project root (holding src/)
 * @returns {{ files: number, violations: { file: string, imported: string, rule: string }[], cycles: { files: string[], path: string[] }[] }}
 */
export function checkLayers(root) {
	const toRel = (/** @type {string} */ abs) => relative(root, abs).split(sep).join('/');
	const files = sourceFiles(join(root, 'src'));
	/** @type {{ file: string, imported: string, rule: string }[]} */
	const violations = [];
	/** @type {Map<string, Set<string>>} */
	const graph = new Map();
	for (const abs of files) {
		const file = toRel(abs);
		const layer = layerOf(file);
		const { may, rule } = RULES[layer];
		/** @type {Set<string>} */
		const edges = new Set();
		graph.set(file, edges);
		for (const specifier of importsOf(readFileSync(abs, 'utf8'), abs.endsWith('.svelte'))) {
			if (SVELTEKIT.test(specifier)) {
				if (!may.includes('kit')) violations.push({ file, imported: specifier, rule: `${rule}, nothing from SvelteKit` });
				continue;
			}
			const target = resolveImport(root, abs, specifier);
			if (!target) continue; // an npm package
			const imported = toRel(target);
			if (imported.startsWith('src/')) edges.add(imported);
			const targetLayer = imported.startsWith('src/') ? layerOf(imported) : 'outside';
			// A unit test may start the stand-in peers of tests/support (an LMS on 127.0.0.1): test code, never shipped.
			if (file.endsWith('.test.ts') && imported.startsWith('tests/support/')) continue;
			if (!may.includes(targetLayer)) violations.push({ file, imported, rule });
		}
	}
	for (const edges of graph.values()) for (const target of [...edges]) if (!graph.has(target)) edges.delete(target);
	const cycles = cyclesOf(graph).map((files) => ({ files, path: cyclePath(graph, files) }));
	return { files: files.length, violations, cycles };
}

/**
 * The report, one line a problem.
 * @param {ReturnType<typeof checkLayers>} result
 */
export function formatReport(result) {
	const lines = result.violations.map((v) => `${v.file} → ${v.imported} (${v.rule})`);
	for (const cycle of result.cycles) {
		const others = cycle.files.filter((file) => !cycle.path.includes(file));
		const rest = others.length ? `; the cycle also runs through ${others.join(', ')}` : '';
		lines.push(`${cycle.path.join(' → ')} (no import cycles${rest})`);
	}
	return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const root = resolve(process.argv[2] ?? '.');
	const result = checkLayers(root);
	const lines = formatReport(result);
	for (const line of lines) console.log(line);
	const problems = result.violations.length + result.cycles.length;
	console.error(
		problems
			? `check:layers: ${result.violations.length} upward imports, ${result.cycles.length} import cycles in ${result.files} files`
			: `check:layers: ${result.files} files OK`
	);
	process.exit(problems ? 1 : 0);
}
