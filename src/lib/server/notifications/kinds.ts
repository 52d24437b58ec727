/**
 * The kinds of notification: one entry each. The bell, the list, the e-mail preferences page and the
 * defaults all read this; a new kind (IQA and EQA ones come with those features) is one more line.
 * `byEmail`: whether it comes by e-mail too until the user says otherwise — only the kinds that ask
 * the user to do something.
 */
export const NOTIFICATION_KINDS = {
	decision: { label: 'A decision or feedback on your work', byEmail: false },
	'resubmission-requested': { label: 'Your assessor asks you to resubmit', byEmail: true },
	'assignment-due': { label: 'An assignment is due in 3 days', byEmail: false },
	'assignment-overdue': { label: 'An assignment is overdue', byEmail: false },
	'countersignature-requested': { label: 'A trainee assessor’s decision needs your countersignature', byEmail: true },
	'decision-countersigned': { label: 'Your decision was countersigned', byEmail: false },
	'decision-sent-back': { label: 'Your decision was sent back', byEmail: true }
} as const satisfies Record<string, { label: string; byEmail: boolean }>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export const KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

export function isNotificationKind(value: string): value is NotificationKind {
	return Object.hasOwn(NOTIFICATION_KINDS, value);
}
