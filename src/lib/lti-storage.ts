/**
 * The browser's half of the platform's storage (1EdTech "LTI Client Side postMessages"; the server's
 * half and why is in server/lti/storage.ts). Our login page puts the launch's state into the frame
 * the platform named, and our launch page reads it back; each message goes to the platform's origin
 * only, and only an answer from that origin to that message is taken.
 */

export interface StorageFrame {
	/** `_parent`, or the name of a frame of the platform's page (lti_storage_target). */
	target: string;
	/** The platform's origin (its authentication endpoint's): the only one we talk to. */
	origin: string;
}

/** How long the platform has to answer; then the launch goes on without its storage. */
const ANSWER_MS = 3000;

/** The platform's window that holds the storage: the frame's parent, or the opener of a new window. */
function storageWindow(target: string): Window | null {
	const host = window.parent !== window ? window.parent : (window.opener as Window | null);
	if (!host) return null;
	if (target === '_parent') return host;
	try {
		return (host.frames as unknown as Record<string, Window | undefined>)[target] ?? null;
	} catch {
		return null;
	}
}

type Answer = Record<string, unknown>;

function ask(frame: StorageFrame, subject: string, fields: Record<string, string>): Promise<Answer | null> {
	const target = storageWindow(frame.target);
	if (!target) return Promise.resolve(null);
	const messageId = crypto.randomUUID();
	return new Promise((resolve) => {
		const done = (answer: Answer | null) => {
			window.removeEventListener('message', listen);
			clearTimeout(timer);
			resolve(answer);
		};
		const listen = (event: MessageEvent) => {
			const data = event.data as unknown;
			if (event.origin !== frame.origin || typeof data !== 'object' || data === null) return;
			const answer = data as Answer;
			if (answer.subject === `${subject}.response` && answer.message_id === messageId) done(answer);
		};
		const timer = setTimeout(() => done(null), ANSWER_MS);
		window.addEventListener('message', listen);
		try {
			target.postMessage({ subject, message_id: messageId, ...fields }, frame.origin);
		} catch {
			done(null);
		}
	});
}

/** Puts the login's state into the platform's storage; false when the platform did not take it. */
export async function putState(frame: StorageFrame, key: string, state: string): Promise<boolean> {
	const answer = await ask(frame, 'lti.put_data', { key, value: state });
	return answer !== null && answer.error === undefined;
}

/**
 * Reads the state back: `match` when the platform's storage holds this launch's state (this browser
 * began the login), `absent` when the platform answered without it, `unavailable` when it did not answer.
 */
export async function readState(frame: StorageFrame, key: string, state: string): Promise<'match' | 'absent' | 'unavailable'> {
	const answer = await ask(frame, 'lti.get_data', { key });
	if (answer === null) return 'unavailable';
	return answer.error === undefined && answer.value === state ? 'match' : 'absent';
}
