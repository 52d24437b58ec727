import { CRITERIA, CRITERION_KINDS } from '$lib/criteria';

/** The unit's criteria grouped by kind, in the unit's order, for the criteria pickers. */
export const CRITERIA_GROUPS = CRITERION_KINDS.map((k) => ({
	kind: k.kind,
	heading: k.plural,
	criteria: CRITERIA.filter((c) => c.kind === k.kind).map((c) => ({ code: c.code, title: c.title }))
}));
