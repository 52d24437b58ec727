import { describe, expect, it } from 'vitest';
import { crossSiteFormRefused } from './cross-site';

const ORIGIN = 'https://custodian.example';
const post = (origin: string | null, type = 'application/x-www-form-urlencoded', method = 'POST') =>
	new Request(`${ORIGIN}/x`, { method, headers: { 'content-type': type, ...(origin ? { origin } : {}) }, body: 'a=1' });

describe('cross-site form posts', () => {
	it('refuses a form post from another site, or with no Origin, on every ordinary route', () => {
		for (const routeId of ['/login', '/(guarded)/admin/settings', '/lti/continue', '/lti/register/[token]', null]) {
			expect(crossSiteFormRefused(post('https://evil.example'), ORIGIN, routeId), String(routeId)).toBe(true);
			expect(crossSiteFormRefused(post(null), ORIGIN, routeId), String(routeId)).toBe(true);
			expect(crossSiteFormRefused(post('https://evil.example', 'multipart/form-data; boundary=x'), ORIGIN, routeId)).toBe(true);
			expect(crossSiteFormRefused(post('https://evil.example', 'text/plain', 'PUT'), ORIGIN, routeId)).toBe(true);
		}
	});

	it('lets our own forms through, and posts that are not forms (their endpoints check Origin themselves)', () => {
		expect(crossSiteFormRefused(post(ORIGIN), ORIGIN, '/(guarded)/admin/settings')).toBe(false);
		expect(crossSiteFormRefused(post('https://evil.example', 'application/json'), ORIGIN, '/(guarded)/admin/settings')).toBe(false);
		expect(crossSiteFormRefused(new Request(`${ORIGIN}/x`, { headers: { origin: 'https://evil.example' } }), ORIGIN, '/login')).toBe(false);
	});

	it('lets an LMS post its login initiation and id_token from its own site, to those two routes only', () => {
		expect(crossSiteFormRefused(post('https://moodle.college.example'), ORIGIN, '/lti/login')).toBe(false);
		expect(crossSiteFormRefused(post('https://moodle.college.example'), ORIGIN, '/lti/launch')).toBe(false);
		expect(crossSiteFormRefused(post('null'), ORIGIN, '/lti/launch')).toBe(false);
	});
});
