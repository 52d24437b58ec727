import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { goto } from '$app/navigation';
import { tick } from 'svelte';

/**
 * A form's `use:enhance` as the forms here behave: busy while it is sent, and what was typed stays when the page
 * updates (a full post draws the submitted values back too). `after` runs once the page has updated: to clear a
 * secret that must not stay in its field, or to put the reader on the error summary, as a full post would.
 */
export function whileSending(busy: (sending: boolean) => void, after?: (result: ActionResult) => void): SubmitFunction {
	return () => {
		busy(true);
		return async ({ result, update }) => {
			await update({ reset: false });
			busy(false);
			after?.(result);
		};
	};
}

/**
 * A save that stays on its page, for a form whose actions either answer with data or redirect to the same page
 * with a query (`?saved=draft`, so the result shows without JavaScript too). With JavaScript:
 * - a redirect to the same page is followed in place: no new history entry, no jump to the top;
 * - SvelteKit's route announcer is kept from reading the page's title out as if it were a new page (it fills
 *   itself on the first update of the page after loading, whatever the update), while a real navigation is
 *   still announced as before;
 * - focus goes where `land` says once the page has updated (the confirmation, the error summary, the first
 *   field in error), else back to the button pressed, never to the top of the page.
 * `inPlace` names the actions (`?/save`) whose same-page redirect is followed in place; others navigate.
 */
export function savingInPlace(
	busy: (sending: boolean) => void,
	land: (result: ActionResult) => HTMLElement | null | undefined,
	inPlace: readonly string[] = []
): SubmitFunction {
	return ({ action, submitter }) => {
		busy(true);
		const stays = inPlace.includes(action.search);
		return async ({ result, update }) => {
			await withoutTitleAnnouncement(async () => {
				if (stays && result.type === 'redirect' && new URL(result.location, location.href).pathname === location.pathname) {
					await goto(result.location, { invalidateAll: true, noScroll: true, keepFocus: true, replaceState: true });
				} else {
					await update({ reset: false });
				}
			});
			busy(false);
			await tick();
			const target = land(result) ?? (submitter instanceof HTMLElement && submitter.isConnected ? submitter : null);
			target?.focus();
		};
	};
}

/**
 * Runs an update of the page that does not leave it, with SvelteKit's route announcer (#svelte-announcer, an
 * assertive live region that is empty until the page first updates, then holds the title) silenced: what it
 * gained is taken back, so the title is heard only after a navigation to another page.
 */
async function withoutTitleAnnouncement(run: () => Promise<void>) {
	const announcer = document.getElementById('svelte-announcer');
	const path = location.pathname;
	const before = announcer?.textContent?.trim() ?? '';
	const live = announcer?.getAttribute('aria-live');
	announcer?.setAttribute('aria-live', 'off');
	try {
		await run();
		// The announcer sets the title a tick after the page updates.
		await new Promise((resolve) => setTimeout(resolve));
	} finally {
		if (announcer && location.pathname === path && before === '' && announcer.textContent?.trim() !== '') {
			for (const node of announcer.childNodes) if (node.nodeType === Node.TEXT_NODE) node.nodeValue = '';
		}
		if (announcer && live) announcer.setAttribute('aria-live', live);
	}
}
