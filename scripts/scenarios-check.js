// `npm run scenarios:check`: checks every scenarios/*.yaml and prints each problem on its own line
// as `file: path: message`; exits 1 if there is any. The checker is the app's own TypeScript
// (src/lib/sim/scenario-check.ts), loaded through Vite's SSR module loader so there is one
// implementation for this command, the tests and the in-app editor.
// Usage: node scripts/scenarios-check.js [directory]   (default: scenarios)
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const DIR = process.argv[2] ?? 'scenarios';

// Without the app's config (SvelteKit's plugin is not needed to load plain TypeScript), but with
// its `$lib` alias, so the checker may import as the app does.
const server = await createServer({
	configFile: false,
	resolve: { alias: { $lib: fileURLToPath(new URL('../src/lib', import.meta.url)) } },
	logLevel: 'error',
	appType: 'custom',
	server: { middlewareMode: true, hmr: false, watch: null },
	optimizeDeps: { noDiscovery: true, include: [] }
});

let failed = true;
try {
	/** @type {typeof import('../src/lib/sim/scenario-check')} */
	const checker = await server.ssrLoadModule('/src/lib/sim/scenario-check.ts');
	/** @type {typeof import('../src/lib/sim/seeding')} */
	const seeding = await server.ssrLoadModule('/src/lib/sim/seeding.ts');
	const loaded = checker.loadScenarios(DIR);
	const errors = [...loaded.errors];
	// A file can be well formed and still hold records the core refuses (an invalid postcode, a
	// disclosure said to be unauthorised that the core finds authorised): seed each one to find out.
	const scenarios = [];
	for (const scenario of loaded.scenarios) {
		const seeded = await seeding.checkSeed(scenario);
		errors.push(...seeded.errors);
		if (seeded.errors.length === 0) scenarios.push(scenario);
	}
	for (const error of errors) console.log(checker.formatScenarioError(error));
	if (scenarios.length === 0 && errors.length === 0) console.log(`${DIR}: no scenario files (*.yaml) found`);
	failed = errors.length > 0 || scenarios.length === 0;
	const files = scenarios.length + new Set(errors.map((e) => e.file)).size;
	console.error(
		failed
			? `scenarios:check: ${errors.length} problem${errors.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`
			: `scenarios:check: ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} OK`
	);
} finally {
	await server.close();
}
process.exit(failed ? 1 : 0);
