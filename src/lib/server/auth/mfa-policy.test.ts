import { describe, expect, it } from 'vitest';
import { mfaRequiredFor } from './mfa-policy';

describe('who must use MFA', () => {
	it('requires it of assessors, tutors and admins whatever the centre says', () => {
		for (const role of ['assessor', 'tutor', 'admin'] as const) {
			expect(mfaRequiredFor([role], false)).toBe(true);
			expect(mfaRequiredFor(['learner', role], false)).toBe(true);
		}
	});

	it('requires it of learners only when the centre asks for it', () => {
		expect(mfaRequiredFor(['learner'], false)).toBe(false);
		expect(mfaRequiredFor(['learner'], true)).toBe(true);
	});
});
