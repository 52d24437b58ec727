/** An expected failure: a code for programs, the field it concerns if any, a message for people. */
export interface CoreError {
	code: string;
	field?: string;
	message: string;
}

/** What every core operation returns: expected failures are values; exceptions are bugs. */
export type Result<T, E extends CoreError = CoreError> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
	return { ok: true, value };
}

export function err(code: string, message: string, field?: string): { ok: false; error: CoreError } {
	return { ok: false, error: field === undefined ? { code, message } : { code, field, message } };
}
