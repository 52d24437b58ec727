/**
 * The assessor's workflow (issue 6), one module per concern: the queue of submitted attempts
 * (queue.ts), the review of one attempt (review.ts), the decision form (forms.ts), drafts
 * (drafts.ts), signing (signing.ts) and the hashes a signature rests on (hashing.ts), signed
 * decisions as they are read, by the assessor and the learner (decisions.ts), the comment bank
 * (comments.ts) and the assessor's learners (learners.ts). This index is what the routes and the
 * other server modules import; the tests beside each module import it directly.
 */
export { addComment, commentBank } from './comments';
export { OUTCOME_LABELS, decisionsForLearner, decisionsInForce, resubmissionRequest } from './decisions';
export type { AssessmentResult } from './errors';
export { LIMITS, decisionValuesFromForm, type DecisionValues } from './forms';
export { assessedLearner, assessedLearners, learnerAttemptsForAssessor } from './learners';
export { QUEUE_STATES, QUEUE_STATE_LABELS, assessmentQueue, queueFilters } from './queue';
export { assessorReview } from './review';
export { saveDecisionDraft } from './drafts';
export { signDecision } from './signing';
export { COUNTERSIGN_LIMITS, countersignBlock, countersignDecision, countersignaturesToGive } from './countersigning';
