import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Benchmarks are run by `npm run bench` (scripts/bench.js), never by `npm test`: they report figures
// and ratios against baselines, and assert nothing about time.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['tests/bench/**/*.bench.test.ts'],
		environment: 'node',
		pool: 'forks',
		fileParallelism: false,
		testTimeout: 20 * 60_000,
		hookTimeout: 20 * 60_000
	}
});
