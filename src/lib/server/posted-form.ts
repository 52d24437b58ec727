import { error } from '@sveltejs/kit';
import { readForm } from '$lib/form-data';

/**
 * The posted form of an action, or the action ends with a 400 that says why. The body-limit hook has
 * already refused a body too large for the route (413), so what cannot be read here is a malformed
 * body (a broken multipart boundary, a connection cut mid-send): the sender's fault, never a 500.
 * Actions that answer an unreadable body in their own words (an upload's limit) call readForm.
 */
export async function postedForm(request: Request): Promise<FormData> {
	const form = await readForm(request);
	if (!form) error(400, { message: 'What you sent could not be read as a form. Reload the page and send it again.' });
	return form;
}
