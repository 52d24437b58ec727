/**
 * The decision form: its field names (shared with the page), its values read from a posted form or
 * a stored draft, and their validation (lengths, the overall decision, a judgement for every point and criterion).
 */
import { z } from 'zod';
import { DECISION_OUTCOMES, type CriterionJudgement, type PointJudgement } from '$lib/server/db/assessment';
import type { CommentBankItem } from './comments';

/** The form's values, as strings, exactly as typed (drafts store these). */
export interface DecisionValues {
	outcome: string;
	feedback: string;
	nextSteps: string;
	assessorNote: string;
	points: Record<string, { met: string; feedback: string }>;
	criteria: Record<string, { met: string; feedback: string }>;
	signedName: string;
	/** The decision in force when the form was drawn ('' for none): a stale form is refused. */
	supersedes: string;
}

/** The points and criteria a form judges, with what the automatic marking proposed for each. */
export interface JudgedItems {
	points: readonly { id: string; proposed: boolean }[];
	criteria: readonly { code: string; proposed: boolean }[];
}

/** Form field names, shared with the page. */
export const field = {
	pointMet: (i: number) => `point-${i}-met`,
	pointFeedback: (i: number) => `point-${i}-feedback`,
	pointComment: (i: number) => `point-${i}-comment`,
	criterionMet: (i: number) => `criterion-${i}-met`,
	criterionFeedback: (i: number) => `criterion-${i}-feedback`,
	criterionComment: (i: number) => `criterion-${i}-comment`
} as const;

const MAX_FIELD_CHARS = 20_000;
const text = (form: FormData, name: string) => {
	const value = form.get(name);
	return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').slice(0, MAX_FIELD_CHARS) : '';
};

/**
 * The decision form's values from a posted form, for the points and criteria of this review only.
 * A comment chosen from the bank beside a feedback box is appended to that box (so the bank works
 * without JavaScript).
 */
export function decisionValuesFromForm(form: FormData, review: JudgedItems, bank: readonly CommentBankItem[]): DecisionValues {
	const comments = new Map(bank.map((c) => [c.id, c.text]));
	const withComment = (feedback: string, commentField: string) => {
		const chosen = comments.get(text(form, commentField));
		if (!chosen) return feedback;
		return feedback.trim() === '' ? chosen : `${feedback.replace(/\s+$/u, '')}\n${chosen}`;
	};
	return {
		outcome: text(form, 'outcome'),
		feedback: withComment(text(form, 'feedback'), 'feedback-comment'),
		nextSteps: withComment(text(form, 'nextSteps'), 'nextSteps-comment'),
		assessorNote: text(form, 'assessorNote'),
		points: Object.fromEntries(
			review.points.map((p, i) => [p.id, { met: text(form, field.pointMet(i)), feedback: withComment(text(form, field.pointFeedback(i)), field.pointComment(i)) }])
		),
		criteria: Object.fromEntries(
			review.criteria.map((c, i) => [c.code, { met: text(form, field.criterionMet(i)), feedback: withComment(text(form, field.criterionFeedback(i)), field.criterionComment(i)) }])
		),
		signedName: text(form, 'signedName').slice(0, 200),
		supersedes: text(form, 'supersedes').slice(0, 100)
	};
}

export const LIMITS = { feedback: 4000, judgementFeedback: 2000, note: 4000 } as const;

const longText = (max: number, what: string) => z.string().max(max, `Use at most ${max.toLocaleString('en-GB')} characters for ${what}.`);

export const overall = z
	.object({
		outcome: z.enum(DECISION_OUTCOMES, { error: 'Choose the overall decision: met, not yet met, or resubmission requested.' }),
		feedback: longText(LIMITS.feedback, 'the feedback').refine((s) => s.trim() !== '', 'Write your feedback to the learner.'),
		nextSteps: longText(LIMITS.feedback, 'what to do next'),
		assessorNote: longText(LIMITS.note, 'the note')
	})
	.superRefine((v, ctx) => {
		if (v.outcome !== 'met' && v.nextSteps.trim() === '') {
			ctx.addIssue({
				code: 'custom',
				path: ['nextSteps'],
				message: v.outcome === 'not-yet-met' ? 'Say what the learner should do next: it is required when the decision is not yet met.' : 'Say what the learner must do for the resubmission.'
			});
		}
	});

export function judgementErrors(
	values: DecisionValues,
	review: JudgedItems,
	errors: Record<string, string>
): { points: PointJudgement[]; criteria: CriterionJudgement[] } {
	const judge = (value: { met: string; feedback: string } | undefined, proposed: boolean, metField: string, feedbackField: string, what: string) => {
		const met = value?.met === 'met' ? true : value?.met === 'not-met' ? false : undefined;
		const feedback = (value?.feedback ?? '').trim();
		if (met === undefined) errors[metField] = `Choose met or not met for ${what}.`;
		if (feedback.length > LIMITS.judgementFeedback) errors[feedbackField] = `Use at most ${LIMITS.judgementFeedback.toLocaleString('en-GB')} characters.`;
		else if (met !== undefined && met !== proposed && feedback === '') errors[feedbackField] = `You override the automatic marking here: say why in the feedback.`;
		return { met: met ?? proposed, feedback };
	};
	return {
		points: review.points.map((p, i) => ({ pointId: p.id, proposed: p.proposed, ...judge(values.points[p.id], p.proposed, field.pointMet(i), field.pointFeedback(i), 'this marking point') })),
		criteria: review.criteria.map((c, i) => ({ code: c.code, proposed: c.proposed, ...judge(values.criteria[c.code], c.proposed, field.criterionMet(i), field.criterionFeedback(i), 'this criterion') }))
	};
}

/** A stored draft, made safe to show: only known points and criteria, only strings. */
export function draftValues(content: unknown, base: DecisionValues): DecisionValues {
	if (!content || typeof content !== 'object') return base;
	const c = content as Partial<Record<keyof DecisionValues, unknown>>;
	const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
	const judgements = (stored: unknown, known: DecisionValues['points']) =>
		Object.fromEntries(
			Object.entries(known).map(([key, value]) => {
				const s = stored && typeof stored === 'object' ? (stored as Record<string, { met?: unknown; feedback?: unknown }>)[key] : undefined;
				return [key, { met: str(s?.met, value.met), feedback: str(s?.feedback, value.feedback) }];
			})
		);
	return {
		outcome: str(c.outcome, base.outcome),
		feedback: str(c.feedback, base.feedback),
		nextSteps: str(c.nextSteps, base.nextSteps),
		assessorNote: str(c.assessorNote, base.assessorNote),
		points: judgements(c.points, base.points),
		criteria: judgements(c.criteria, base.criteria),
		signedName: '',
		supersedes: base.supersedes
	};
}
