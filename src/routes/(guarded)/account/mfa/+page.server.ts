import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { getDb } from '$lib/server/db';
import { actionsWithUser, homeFor, safeRedirectTarget, withUser } from '$lib/server/auth/access';
import {
	RECOVERY_CODE_COUNT,
	confirmEnrolment,
	generateTotpKey,
	mfaStatus,
	regenerateRecoveryCodes,
	totpKeyForManualEntry,
	totpKeyUri,
	totpQrSvg,
	turnOffMfa
} from '$lib/server/auth/mfa';
import { markSessionMfaVerified } from '$lib/server/auth/session';
import { requestContext } from '$lib/server/security/events';

/** What the enrolment form shows for one key: the QR code, the key to type by hand, the key to post back. */
function enrolmentFor(keyHex: string, email: string) {
	const key = decodeHex(keyHex);
	return { keyHex, qrSvg: totpQrSvg(totpKeyUri(key, email)), manualKey: totpKeyForManualEntry(key) };
}

export const load = withUser((async ({ locals, url }) => {
	const user = locals.user!;
	const status = await mfaStatus(getDb(), user.id);
	return {
		status,
		required: user.mfaRequired,
		recoveryCodeCount: RECOVERY_CODE_COUNT,
		// A fresh key for each visit until enrolment is confirmed; nothing is stored before then.
		enrolment: status.enrolled ? null : enrolmentFor(encodeHexLowerCase(generateTotpKey()), user.email),
		next: safeRedirectTarget(url.searchParams.get('redirectTo')) ?? homeFor(user.roles)
	};
}) satisfies PageServerLoad);

async function codeFrom(request: Request): Promise<{ code: string; form: FormData }> {
	const form = await postedForm(request);
	return { code: text(form, 'code', { max: 64, trim: true }), form };
}

const ENTER_CODE = 'Enter the 6-digit code your authenticator app shows now.';

export const actions = actionsWithUser({
	enrol: async (event) => {
		const user = event.locals.user!;
		const { code, form } = await codeFrom(event.request);
		const keyHex = text(form, 'key', { max: 64 });
		// The same key again, so a user who mistyped does not have to scan a new QR code.
		const enrolment = /^[0-9a-f]{40}$/.test(keyHex) ? enrolmentFor(keyHex, user.email) : null;
		if (!code) return fail(400, { action: 'enrol' as const, enrolment, errors: { code: ENTER_CODE } });
		const db = getDb();
		const result = await confirmEnrolment(db, user.id, { keyHex, code }, requestContext(event));
		if (!result.ok) {
			return fail(result.error.code === 'throttled' ? 429 : 400, { action: 'enrol' as const, enrolment, errors: { code: result.error.message } });
		}
		// The user has just proved they hold the key: this session has passed the second factor.
		await markSessionMfaVerified(db, event.locals.session!.id);
		return { action: 'enrol' as const, recoveryCodes: result.recoveryCodes };
	},
	regenerate: async (event) => {
		const { code } = await codeFrom(event.request);
		if (!code) return fail(400, { action: 'regenerate' as const, errors: { code: ENTER_CODE } });
		const result = await regenerateRecoveryCodes(getDb(), event.locals.user!.id, code, requestContext(event));
		if (!result.ok) {
			return fail(result.error.code === 'throttled' ? 429 : 400, { action: 'regenerate' as const, errors: { code: result.error.message } });
		}
		return { action: 'regenerate' as const, recoveryCodes: result.recoveryCodes };
	},
	turnOff: async (event) => {
		const user = event.locals.user!;
		const { code } = await codeFrom(event.request);
		if (user.mfaRequired) {
			return fail(400, { action: 'turnOff' as const, errors: { code: 'Your account must use MFA, so it cannot be turned off.' } });
		}
		if (!code) return fail(400, { action: 'turnOff' as const, errors: { code: ENTER_CODE } });
		const result = await turnOffMfa(getDb(), user.id, code, requestContext(event));
		if (!result.ok) {
			return fail(result.error.code === 'throttled' ? 429 : 400, { action: 'turnOff' as const, errors: { code: result.error.message } });
		}
		return { action: 'turnOff' as const, turnedOff: true };
	}
} satisfies Actions);
