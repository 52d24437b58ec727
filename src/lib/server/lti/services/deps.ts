/**
 * Where the services find the tool's signing key and the registered platforms at run time. The
 * registration side provides them once at start (`provideLtiServices`, called by server/lti/services-wiring.ts
 * from the server's init in hooks.server.ts); until then there is nothing
 * to deliver to, and a queued grade makes the delivery job fail visibly on /admin rather than wait
 * in silence.
 */
import type { LtiServiceDeps } from './types';

let provided: LtiServiceDeps | undefined;

export function provideLtiServices(deps: LtiServiceDeps): void {
	provided = deps;
}

export function ltiServices(): LtiServiceDeps | undefined {
	return provided;
}
