import type { SessionUser } from '$lib/server/auth/session';
import type { Session } from '$lib/server/db/schema';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			requestId: string;
			/** Set by the access check when a page must be refused with 403 (see hooks.server.ts). */
			denied?: string;
		}
		interface Error {
			message: string;
			requestId?: string;
		}
	}
}

export {};
