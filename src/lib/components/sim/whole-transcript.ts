/**
 * The query the simulation screen's links and forms carry so that, once the learner has opened the
 * whole conversation (`?transcript=all`), a section link or a form post — with or without scripts —
 * stays on it instead of going back to the last lines.
 */
export function keepWholeTranscript(url: URL): string {
	return url.searchParams.get('transcript') === 'all' ? '&transcript=all' : '';
}
