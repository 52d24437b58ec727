/**
 * What a section of the form editor gets back from its post: saved, or refused with the field at
 * fault (or 'form' for the form as a whole) and why, with what was typed to draw again. A stale form
 * (the draft changed elsewhere) gets no values: the section shows the draft as it is now.
 */
export interface SectionResult {
	section: string;
	saved?: boolean;
	stale?: boolean;
	field?: string;
	message?: string;
	values?: Record<string, unknown>;
}

/** The result for this section, if the last post was its own. */
export function resultFor(result: SectionResult | null | undefined, section: string): SectionResult | null {
	return result && result.section === section ? result : null;
}

/** The refusal's message for one field of this section. */
export function fieldError(result: SectionResult | null, field: string): string | undefined {
	return result && !result.saved && result.field === field ? result.message : undefined;
}

/** What the section's field shows: the value typed when it was refused, else the draft's. */
export function shown<T>(result: SectionResult | null, field: string, draft: T): T {
	const values = result && !result.saved ? result.values : undefined;
	return values && field in values ? (values[field] as T) : draft;
}
