import { describe, expect, it } from 'vitest';
import { SECURITY_EVENT_TYPES } from '$lib/server/db/schema';
import { SECURITY_EVENT_GROUPS, SECURITY_EVENT_KINDS, summariseDetail, typesOfGroup } from './kinds';

describe('security event kinds', () => {
	it('puts every type of event in exactly one group, each group holding at least one', () => {
		const grouped = (Object.keys(SECURITY_EVENT_GROUPS) as (keyof typeof SECURITY_EVENT_GROUPS)[]).flatMap((g) => {
			expect(typesOfGroup(g).length).toBeGreaterThan(0);
			return typesOfGroup(g);
		});
		expect([...grouped].sort()).toEqual([...SECURITY_EVENT_TYPES].sort());
		expect(new Set(Object.values(SECURITY_EVENT_KINDS).map((k) => k.label)).size).toBe(SECURITY_EVENT_TYPES.length);
	});

	it('says which settings changed in the settings page’s words, and the log’s period before and after', () => {
		expect(summariseDetail('settings.changed', { settings: ['dpoEmail', 'securityLogRetentionDays'], retentionDaysBefore: 365, retentionDaysAfter: 90 })).toBe(
			'Changed: data protection officer’s email, security log retention; security log kept 365 → 90 days'
		);
	});

	it('reads roles before and after as a change', () => {
		expect(summariseDetail('roles.changed', { before: ['learner'], after: ['learner', 'tutor'] })).toBe('Roles learner → learner, tutor');
		expect(summariseDetail('roles.changed', { before: ['admin'], after: [] })).toBe('Roles admin → none');
	});

	it('says which fields of an account changed, and the email before and after', () => {
		expect(summariseDetail('account.updated', { fields: ['displayName', 'email'], emailBefore: 'a@example.org', emailAfter: 'b@example.org' })).toBe(
			'Changed: name, email; email a@example.org → b@example.org'
		);
		expect(summariseDetail('account.updated', { fields: ['displayName'] })).toBe('Changed: name');
	});

	it('lists any other detail key by key in words, so nothing recorded is hidden', () => {
		expect(summariseDetail('login.failed', { reason: 'wrong-password', attemptsLeft: 3, locked: false, roles: ['a', 'b'], note: null })).toBe(
			'Reason: wrong-password; attempts left: 3; locked: no; roles: a, b; note: none'
		);
		expect(summariseDetail('logout', null)).toBe('');
		expect(summariseDetail('logout', {})).toBe('');
	});
});
