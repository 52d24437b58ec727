import type { Role } from '$lib/server/db/schema';

/**
 * The kinds of notification: one entry each. The bell, the list, the e-mail preferences page and the
 * defaults all read this; a new kind (IQA and EQA ones come with those features) is one more line.
 * `byEmail`: whether it comes by e-mail too until the user says otherwise — only the kinds that ask
 * the user to do something. `for`: the roles that can receive it.
 */
export const NOTIFICATION_KINDS = {
	decision: { label: 'A decision or feedback on your work', byEmail: false, for: ['learner'] },
	'resubmission-requested': { label: 'Your assessor asks you to resubmit', byEmail: true, for: ['learner'] },
	'assignment-due': { label: 'An assignment is due in 3 days', byEmail: false, for: ['learner'] },
	'assignment-overdue': { label: 'An assignment is overdue', byEmail: false, for: ['learner'] },
	badge: { label: 'Your Open Badge was issued or revoked', byEmail: false, for: ['learner'] },
	'countersignature-requested': { label: 'A trainee assessor’s decision needs your countersignature', byEmail: true, for: ['assessor'] },
	'decision-countersigned': { label: 'Your decision was countersigned', byEmail: false, for: ['assessor'] },
	'decision-sent-back': { label: 'Your decision was sent back', byEmail: true, for: ['assessor'] },
	'work-ready-for-iqa': { label: 'Work is ready for IQA: the sampling plan picked decisions', byEmail: true, for: ['iqa'] },
	'iqa-action-set': { label: 'The IQA set you an action', byEmail: true, for: ['assessor'] },
	'iqa-action-due': { label: 'An IQA action is due in 7 days', byEmail: false, for: ['assessor'] },
	'iqa-action-overdue': { label: 'An IQA action is overdue', byEmail: true, for: ['assessor'] },
	'iqa-action-answered': { label: 'An assessor answered your action', byEmail: false, for: ['iqa'] },
	'eqa-access-granted': { label: 'An external quality assurer was given access', byEmail: true, for: ['eqa', 'iqa', 'admin'] },
	'eqa-access-ending': { label: 'An external quality assurer’s access ends in 2 days', byEmail: true, for: ['eqa', 'iqa', 'admin'] }
} as const satisfies Record<string, { label: string; byEmail: boolean; for: readonly Role[] }>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export const KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

/** The kinds a person with these roles can receive (`for`): the only ones their e-mail choices offer. */
export function kindsFor(roles: readonly Role[]): NotificationKind[] {
	return KIND_NAMES.filter((kind) => NOTIFICATION_KINDS[kind].for.some((role) => roles.includes(role)));
}

export function isNotificationKind(value: string): value is NotificationKind {
	return Object.hasOwn(NOTIFICATION_KINDS, value);
}
