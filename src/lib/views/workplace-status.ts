/**
 * Where a learner's piece of workplace evidence stands, as their list and page show it
 * (server/workplace/status.ts decides it, in the words attempts use). Types only.
 *
 * draft: not yet submitted; submitted: awaiting assessment; awaiting-countersignature: a trainee
 * assessor decided and no qualified assessor has countersigned yet (it does not count until then);
 * sent-back: the qualified assessor sent the trainee's decision back for a new one; signed-off: met;
 * not-yet-met: decided not yet met; resubmission-asked: the assessor returned it to the learner as a
 * draft to change and submit again.
 */
import type { AttemptTone } from './attempt-status';

export type WorkplaceState = 'draft' | 'submitted' | 'awaiting-countersignature' | 'sent-back' | 'signed-off' | 'not-yet-met' | 'resubmission-asked';

export interface WorkplaceStatus {
	state: WorkplaceState;
	label: string;
	next: string;
	tone: AttemptTone;
	href: string | null;
}
