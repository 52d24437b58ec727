/**
 * Where the services find the tool's signing key and the registered platforms at run time. The
 * registration side provides them once at start (`provideLtiServices`, called by server/lti/services-wiring.ts
 * from the server's init in hooks.server.ts); until then there is nothing
 * to deliver to, and a queued grade makes the delivery job fail visibly on /admin rather than wait
 * in silence.
 */
import type { Db } from '$lib/core/database';
import { SecretUnreadableError } from '$lib/server/security/secrets';
import type { LtiResult, LtiServiceDeps, ToolSigner } from './types';

let provided: LtiServiceDeps | undefined;

export function provideLtiServices(deps: LtiServiceDeps): void {
	provided = deps;
}

export function ltiServices(): LtiServiceDeps | undefined {
	return provided;
}

/**
 * The tool's signing key for a service call, or a typed error when its private half cannot be
 * decrypted (SECRETS_KEY: the log names the setting), so a request says so instead of failing.
 */
export async function serviceSigner(db: Db, deps: LtiServiceDeps): Promise<LtiResult<ToolSigner>> {
	try {
		return { ok: true, value: await deps.signer(db) };
	} catch (error) {
		if (!(error instanceof SecretUnreadableError)) throw error;
		console.error(`LTI: ${error.message}`);
		return { ok: false, error: { code: 'lti.key-unreadable', message: 'Custodian cannot use its LTI signing key: the server cannot read it (the SECRETS_KEY setting). Ask the administrator.', retryable: true } };
	}
}
