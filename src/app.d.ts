import type { SessionUser } from '$lib/server/auth/session';
import type { Session } from '$lib/server/db/schema';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			requestId: string;
			/**
			 * Sites that may show this response in a frame (frame-ancestors): set only by a page an
			 * LTI launch or registration opens inside its platform. Unset, no site may.
			 */
			frameAncestors?: string[];
			/** Which cookie carried this request's session (auth/cookie.ts): a framed LTI session's, or the usual one. */
			sessionCookie?: import('$lib/server/auth/cookie').SessionCookieKind;
			/** Set by /logout's action for a session begun in an LMS's frame: its page answers in that frame. */
			signedOutOfFrame?: boolean;
			/**
			 * Other sites this response's forms may post to (form-action): set only by the page that
			 * returns a Deep Linking answer to its LMS. Unset, our own site only.
			 */
			formActionOrigins?: string[];
		}
		interface PageState {
			/** The assessor's review: the point or criterion chosen without a page load (shallow routing). */
			review?: import('$lib/components/assess/review-selection').ReviewSelection;
		}
		interface Error {
			message: string;
			requestId?: string;
		}
	}
}

export {};
