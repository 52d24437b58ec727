/** The typed refusals of the assessor's workflow: what a route turns into a 404, a 400 or a 409. */

export type AssessmentErrorCode =
	| 'attempt.not-found'
	| 'reflection.not-submitted'
	| 'decision.invalid'
	| 'decision.already-signed'
	| 'decision.superseded'
	| 'decision.locked'
	| 'evidence.not-json'
	| 'comment.invalid'
	| 'countersignature.invalid'
	| 'countersignature.refused';

export interface AssessmentError {
	code: AssessmentErrorCode;
	message: string;
	field?: string;
	/** Per form field name: what is wrong with it. */
	fields?: Record<string, string>;
}
export type AssessmentResult<T> = { ok: true; value: T } | { ok: false; error: AssessmentError };

export const NOT_FOUND: { ok: false; error: AssessmentError } = { ok: false, error: { code: 'attempt.not-found', message: 'That attempt was not found.' } };
