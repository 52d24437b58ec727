/**
 * What the assessor's review is looking at: one marking point or criterion at a time, chosen by the
 * query (?point=<id> or ?criterion=<code>, so it works without JavaScript) or by shallow routing, and
 * the transcript lines its evidence cites.
 */

export interface ReviewItem {
	/** `point:<id>` or `criterion:<code>`. */
	key: string;
	kind: 'point' | 'criterion';
	/** The point's id or the criterion's code: the query's value. */
	id: string;
	/** Its index among its kind: the form's field names (point-<i>-met…). */
	index: number;
	title: string;
	/** The transcript lines (seq) cited: a point's evidence; for a criterion, its points' evidence. */
	cited: number[];
}

/** Where the review is: the item chosen (none: the first shown, the transcript whole) and whether the whole transcript was asked for. */
export interface ReviewSelection {
	key?: string;
	whole: boolean;
}

interface Point {
	id: string;
	description: string;
	criteria: readonly { code: string }[];
	evidence: readonly { seq: number }[];
}

/** Points first, then criteria: the order of the form and of Previous / Next. */
export function reviewItems(points: readonly Point[], criteria: readonly { code: string; title: string }[]): ReviewItem[] {
	return [
		...points.map((p, index) => ({ key: `point:${p.id}`, kind: 'point' as const, id: p.id, index, title: p.description, cited: p.evidence.map((e) => e.seq) })),
		...criteria.map((c, index) => {
			const cited = new Set(points.filter((p) => p.criteria.some((pc) => pc.code === c.code)).flatMap((p) => p.evidence.map((e) => e.seq)));
			return { key: `criterion:${c.code}`, kind: 'criterion' as const, id: c.code, index, title: `${c.code} ${c.title}`, cited: [...cited].sort((a, b) => a - b) };
		})
	];
}

/** The selection a URL asks for; an unknown point or criterion is no selection. */
export function selectionFromUrl(search: URLSearchParams, items: readonly ReviewItem[]): ReviewSelection {
	const point = search.get('point');
	const criterion = search.get('criterion');
	const key = point !== null ? `point:${point}` : criterion !== null ? `criterion:${criterion}` : undefined;
	return { key: items.some((i) => i.key === key) ? key : undefined, whole: search.get('transcript') === 'whole' };
}

/** The address of a selection, keeping the rest of the query (?supersede) but not a one-off (?signed). */
export function selectionHref(search: URLSearchParams, item: ReviewItem, whole = false): string {
	const next = new URLSearchParams(search);
	for (const name of ['point', 'criterion', 'transcript', 'signed']) next.delete(name);
	next.set(item.kind, item.id);
	if (whole) next.set('transcript', 'whole');
	return `?${next.toString()}`;
}
