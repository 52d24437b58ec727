import type { SecurityEvent, SecurityEventType } from '$lib/server/db/schema';

/**
 * The kinds of security event in words: each type's label and the group an administrator filters
 * by. The log page, its filter and the detail summaries all read this one table.
 */

export const SECURITY_EVENT_GROUPS = {
	'sign-in': 'Log-in and log-out',
	passwords: 'Passwords',
	mfa: 'Two-step verification',
	accounts: 'Accounts and roles',
	settings: 'Centre settings',
	quality: 'Quality assurance',
	exports: 'Exports',
	records: 'Records and retention',
	refusals: 'Refused requests',
	lti: 'LMS launches (LTI)'
} as const;
export type SecurityEventGroup = keyof typeof SECURITY_EVENT_GROUPS;

export const SECURITY_EVENT_KINDS: Record<SecurityEventType, { label: string; group: SecurityEventGroup }> = {
	'login.succeeded': { label: 'Logged in', group: 'sign-in' },
	'login.failed': { label: 'Log-in failed', group: 'sign-in' },
	'login.throttled': { label: 'Log-in slowed down after repeated failures', group: 'sign-in' },
	'login.locked': { label: 'Log-in locked after repeated failures', group: 'sign-in' },
	logout: { label: 'Logged out', group: 'sign-in' },
	'password.changed': { label: 'Password changed', group: 'passwords' },
	'password.change-failed': { label: 'Password change refused', group: 'passwords' },
	'password.change-throttled': { label: 'Password change slowed down after repeated failures', group: 'passwords' },
	'password.reset.requested': { label: 'Password reset asked for', group: 'passwords' },
	'password.reset.completed': { label: 'Password reset with an emailed link', group: 'passwords' },
	'password.reset.refused': { label: 'Password reset link refused (expired, used or unknown)', group: 'passwords' },
	'one-time-password.issued': { label: 'One-time password issued', group: 'passwords' },
	'one-time-password.expired': { label: 'Expired one-time password tried', group: 'passwords' },
	'mfa.enrolled': { label: 'Two-step verification set up', group: 'mfa' },
	'mfa.verified': { label: 'Two-step verification passed', group: 'mfa' },
	'mfa.failed': { label: 'Two-step verification code refused', group: 'mfa' },
	'mfa.throttled': { label: 'Two-step verification slowed down after repeated failures', group: 'mfa' },
	'mfa.recovery-code-used': { label: 'Recovery code used', group: 'mfa' },
	'mfa.recovery-codes-regenerated': { label: 'New recovery codes made', group: 'mfa' },
	'mfa.reset': { label: 'Two-step verification reset by an administrator', group: 'mfa' },
	'account.created': { label: 'Account created', group: 'accounts' },
	'account.updated': { label: 'Account changed', group: 'accounts' },
	'account.deactivated': { label: 'Account deactivated', group: 'accounts' },
	'account.reactivated': { label: 'Account reactivated', group: 'accounts' },
	'roles.changed': { label: 'Roles changed', group: 'accounts' },
	'settings.changed': { label: 'Centre settings changed', group: 'settings' },
	'assessor-profile.changed': { label: 'Assessor profile changed (status, risk, notes)', group: 'quality' },
	'decision.countersigned': { label: 'Trainee assessor’s decision countersigned', group: 'quality' },
	'decision.sent-back': { label: 'Trainee assessor’s decision sent back', group: 'quality' },
	'iqa-sample.signed': { label: 'IQA sample round signed', group: 'quality' },
	'work.locked': { label: 'Sampled work locked after the IQA agreed', group: 'quality' },
	'work.unlocked': { label: 'Locked work unlocked by an administrator', group: 'quality' },
	'export.portfolio': { label: 'Portfolio PDF issued', group: 'exports' },
	'export.evidence-pack': { label: 'Evidence pack issued (ZIP)', group: 'exports' },
	'export.results-csv': { label: 'Cohort results downloaded (CSV)', group: 'exports' },
	'export.scenario': { label: 'Scenario file downloaded', group: 'exports' },
	'access.refused': { label: 'Request refused (no permission)', group: 'refusals' },
	'learner-standing.changed': { label: 'Learner’s programme standing changed', group: 'records' },
	'legal-hold.placed': { label: 'Legal hold placed on a learner’s records', group: 'records' },
	'legal-hold.released': { label: 'Legal hold released', group: 'records' },
	'records.disposed': { label: 'Learner’s records disposed of after their retention period', group: 'records' },
	'eqa.invited': { label: 'External quality assurer given access', group: 'quality' },
	'eqa.revoked': { label: 'External quality assurer’s access revoked', group: 'quality' },
	'eqa.viewed': { label: 'External quality assurer viewed a learner’s work', group: 'quality' },
	'eqa.refused': { label: 'External quality assurer refused (outside the sample or the dates)', group: 'quality' },
	'eqa.report-submitted': { label: 'External quality assurer’s report submitted', group: 'quality' },
	'eqa.report-answered': { label: 'Centre answered the external quality assurer’s report', group: 'quality' },
	'lti.launched': { label: 'Signed in from an LMS (LTI launch)', group: 'lti' },
	'lti.refused': { label: 'LMS launch or registration refused', group: 'lti' },
	'lti.platform-registered': { label: 'LMS platform registered', group: 'lti' },
	'lti.platform-changed': { label: 'LMS platform enabled, disabled or changed', group: 'lti' },
	'lti.registration-link-created': { label: 'LMS registration link made', group: 'lti' },
	'lti.keys-rotated': { label: 'Tool signing key rotated', group: 'lti' },
	'lti.deep-linked': { label: 'Scenario added to an LMS course (Deep Linking)', group: 'lti' },
	'badge.revoked': { label: 'Open Badge revoked', group: 'quality' },
	'badge.key-rotated': { label: 'Open Badges signing key rotated', group: 'settings' }
};

/** The types of a group, in the table's order. */
export function typesOfGroup(group: SecurityEventGroup): SecurityEventType[] {
	return (Object.keys(SECURITY_EVENT_KINDS) as SecurityEventType[]).filter((type) => SECURITY_EVENT_KINDS[type].group === group);
}

/** Names of settings as the settings page labels them, for `settings.changed`. */
const SETTING_LABELS: Record<string, string> = {
	name: 'centre name',
	region: 'region for public holidays',
	dpoName: 'data protection officer’s name',
	dpoEmail: 'data protection officer’s email',
	dpoPhone: 'data protection officer’s phone',
	securityLogRetentionDays: 'security log retention',
	requireMfaForLearners: 'two-step verification for learners'
};

/** Fields of an account as the user page labels them, for `account.updated`. */
const ACCOUNT_FIELD_LABELS: Record<string, string> = { displayName: 'name', email: 'email' };

type Detail = NonNullable<SecurityEvent['detail']>;

function words(value: Detail[string]): string {
	if (value === null) return 'none';
	if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	return String(value);
}

/** "retentionDaysBefore" → "retention days before": keys other helpers choose still read as words. */
function keyWords(key: string): string {
	return key
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/[-_.]+/g, ' ')
		.toLowerCase();
}

/**
 * The event's detail in a sentence. The kinds administration records read as prose; any other
 * detail is listed key by key, so a new kind of detail is shown rather than hidden.
 */
export function summariseDetail(type: SecurityEventType, detail: SecurityEvent['detail']): string {
	if (!detail || Object.keys(detail).length === 0) return '';
	const rest = { ...detail };
	const parts: string[] = [];
	if (type === 'roles.changed' && 'before' in rest && 'after' in rest) {
		parts.push(`Roles ${words(rest.before!)} → ${words(rest.after!)}`);
		delete rest.before;
		delete rest.after;
	}
	if (type === 'settings.changed' && Array.isArray(rest.settings)) {
		parts.push(`Changed: ${rest.settings.map((key) => SETTING_LABELS[key] ?? keyWords(key)).join(', ')}`);
		delete rest.settings;
		if (typeof rest.retentionDaysBefore === 'number' && typeof rest.retentionDaysAfter === 'number') {
			parts.push(`security log kept ${rest.retentionDaysBefore} → ${rest.retentionDaysAfter} days`);
			delete rest.retentionDaysBefore;
			delete rest.retentionDaysAfter;
		}
	}
	if (type === 'account.updated' && Array.isArray(rest.fields)) {
		parts.push(`Changed: ${rest.fields.map((key) => ACCOUNT_FIELD_LABELS[key] ?? keyWords(key)).join(', ')}`);
		delete rest.fields;
		if (typeof rest.emailBefore === 'string' && typeof rest.emailAfter === 'string') {
			parts.push(`email ${rest.emailBefore} → ${rest.emailAfter}`);
			delete rest.emailBefore;
			delete rest.emailAfter;
		}
	}
	for (const [key, value] of Object.entries(rest)) parts.push(`${keyWords(key)}: ${words(value)}`);
	const sentence = parts.join('; ');
	return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
