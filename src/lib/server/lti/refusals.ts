/** A refused LTI launch, login or registration as a security event (as a refused log-in is). */
import type { Db } from '$lib/core/database';
import { recordSecurityEvent, type RequestContext } from '$lib/server/security/events';

export async function recordLtiRefusal(db: Db, request: RequestContext, step: 'login' | 'launch' | 'continue' | 'registration', code: string, platformId: string | null = null): Promise<void> {
	await recordSecurityEvent(db, { type: 'lti.refused', ...request, detail: { step, code, platformId } });
}
