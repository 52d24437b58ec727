import { getContext, setContext, tick } from 'svelte';

const KEY = Symbol('desk-announcer');

/**
 * The simulation screen's one live region (WCAG 4.1.3). It is in the page, empty, from the first
 * render; what changed is written into it after the change, so a screen reader hears it however the
 * page was reached (a fragment in the address included).
 */
export class Announcer {
	/** What the live region says now. */
	text = $state('');
	/** What the other side said since the last announcement (the conversation fills it in). */
	#heard: string[] = [];

	hear(words: string) {
		this.#heard.push(words);
	}

	/** What the other side said since the last time this was asked (and forgets it). */
	heard(): string {
		const words = this.#heard.join(' ');
		this.#heard = [];
		return words;
	}

	/** Says `parts`, in order, through the live region. */
	async say(...parts: (string | undefined | null)[]) {
		const words = parts
			.map((part) => part?.trim())
			.filter(Boolean)
			.join(' ');
		// Emptied first, so the same words said twice are heard twice.
		this.text = '';
		await tick();
		this.text = words;
	}
}

export function provideAnnouncer(): Announcer {
	return setContext(KEY, new Announcer());
}

export function useAnnouncer(): Announcer {
	const announcer = getContext<Announcer | undefined>(KEY);
	if (!announcer) throw new Error('useAnnouncer: no simulation screen above this component');
	return announcer;
}

/**
 * Waits until SvelteKit has finished resetting focus after an action. With a fragment in the address
 * (after the skip link or a jump link), `applyAction` moves focus to the fragment's target in a
 * `setTimeout`; focus moved before that is lost to <main>. A timeout queued after it runs after it.
 */
export function afterFocusReset(): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Moves focus to the open panel's heading (every panel has one: id="panel-heading", tabindex="-1"). */
export function focusPanelHeading(): HTMLElement | null {
	const heading = document.getElementById('panel-heading');
	heading?.focus();
	return heading;
}
