import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * SvelteKit's generated root component hides its route announcer with a style attribute, which our
 * CSP (style-src 'self', no 'unsafe-inline') blocks on every page (sveltejs/kit#11993). The
 * attribute is taken out here and the same rules live in app.css under #svelte-announcer; the
 * end-to-end CSP test fails if a page ever applies an inline style again.
 */
function announcerWithoutInlineStyle(): Plugin {
	return {
		name: 'custodian:announcer-without-inline-style',
		enforce: 'pre',
		transform(code, id) {
			if (!id.replaceAll('\\', '/').endsWith('.svelte-kit/generated/root.svelte')) return null;
			return code.replace(/(<div id="svelte-announcer"[^>]*?)\s+style="[^"]*"/, '$1');
		}
	};
}

export default defineConfig({
	plugins: [announcerWithoutInlineStyle(), sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		pool: 'forks',
		// Two test files at a time: vitest's default on a 2-core machine is one (the cores less one), which
		// left half the machine idle while a file waited on its database.
		maxWorkers: 2,
		testTimeout: 30_000
	}
});
