/**
 * The services' run-time needs (services/deps.ts), met by the registration and launch side: our
 * current signing key (keys.ts, rotating) and a registered platform, but only while it is enabled, so
 * disabling a platform on /admin/lti stops grade return and member reads to it too.
 */
import type { Db } from '$lib/core/database';
import { toolSigningKey } from './keys';
import { platformById } from './platforms';
import { provideLtiServices } from './services/deps';
import type { LtiPlatform, LtiServiceDeps } from './services/types';

export async function enabledServicePlatform(db: Db, id: string): Promise<LtiPlatform | undefined> {
	const platform = await platformById(db, id);
	if (!platform || platform.status !== 'enabled') return undefined;
	return { id: platform.id, issuer: platform.issuer, clientId: platform.clientId, tokenUrl: platform.tokenUrl };
}

export function ltiServiceDeps(): LtiServiceDeps {
	return { signer: async (db) => await toolSigningKey(db), platform: enabledServicePlatform };
}

/** Called once in the server's init (hooks.server.ts). */
export function wireLtiServices(): void {
	provideLtiServices(ltiServiceDeps());
}
