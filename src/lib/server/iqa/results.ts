/** The typed refusals of the IQA's sample record: what a route turns into a 404, a 403, a 400 or a 409. */

export type IqaErrorCode =
	| 'sample.not-found'
	| 'sample.own-work'
	| 'sample.not-iqa'
	| 'sample.not-started'
	| 'sample.already-started'
	| 'sample.snapshot-unavailable'
	| 'round.invalid'
	| 'action.not-found'
	| 'action.invalid'
	| 'action.refused'
	| 'lock.not-admin'
	| 'lock.not-found'
	| 'lock.invalid';

export interface IqaError {
	code: IqaErrorCode;
	message: string;
	/** Per form field name: what is wrong with it. */
	fields?: Record<string, string>;
}

export type IqaResult<T> = { ok: true; value: T } | { ok: false; error: IqaError };

export const SAMPLE_NOT_FOUND: { ok: false; error: IqaError } = { ok: false, error: { code: 'sample.not-found', message: 'There is no sample of this centre at this address.' } };
export const ACTION_NOT_FOUND: { ok: false; error: IqaError } = { ok: false, error: { code: 'action.not-found', message: 'There is no action of yours at this address.' } };

export function refused<T>(code: IqaErrorCode, message: string, fields?: Record<string, string>): IqaResult<T> {
	return { ok: false, error: fields ? { code, message, fields } : { code, message } };
}

/** The same typed name check as the assessor's signature: case, spacing and Unicode form aside. */
export function normaliseName(name: string): string {
	return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en-GB');
}

export function tidyName(name: string): string {
	return name.trim().replace(/\s+/gu, ' ');
}
