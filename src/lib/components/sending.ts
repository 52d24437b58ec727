import type { ActionResult, SubmitFunction } from '@sveltejs/kit';

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
