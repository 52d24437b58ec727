/**
 * One statement to a learning record store: `PUT {endpoint}/statements?statementId=ID` (xAPI 1.0.3
 * §7.2.1), with the version header, Basic auth, a User-Agent, a time limit, no redirects followed
 * (the key and secret must not go elsewhere) and at most a few kilobytes of the answer read.
 *
 * What the answer means for the outbox:
 * - 204 or 200: stored. 409: the LRS already has a statement with this id ("Conflict"), which,
 *   our ids being derived from the event, is this one: delivered.
 * - 429, 5xx, a network error or no answer in time: the LRS is busy or down; try again later.
 * - Any other status (400, 401, 403, 404, a redirect…): the LRS will answer the same again, so the
 *   statement fails for good until the administrator fixes the cause and retries it.
 */
export interface LrsAddress {
	endpoint: string;
	key: string;
	secret: string;
}

export type LrsAnswer =
	| { outcome: 'delivered'; status: number; text: string }
	| { outcome: 'retry'; status: number | null; text: string }
	| { outcome: 'refused'; status: number; text: string };

export const LRS_TIMEOUT_MS = 10_000;
/** How much of the LRS's answer is read and kept (for the administrator's "last error"). */
const ANSWER_LIMIT = 2_000;
export const USER_AGENT = 'Custodian/1 (xAPI statement delivery)';

/** The first ANSWER_LIMIT characters of the body, without reading the rest. */
async function answerText(response: Response): Promise<string> {
	if (!response.body) return '';
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let text = '';
	try {
		while (text.length < ANSWER_LIMIT) {
			const { done, value } = await reader.read();
			if (done) break;
			text += decoder.decode(value, { stream: true });
		}
	} finally {
		await reader.cancel().catch(() => undefined);
	}
	return text.slice(0, ANSWER_LIMIT).replace(/\s+/g, ' ').trim();
}

export async function putStatement(lrs: LrsAddress, statementId: string, body: string, timeoutMs: number = LRS_TIMEOUT_MS): Promise<LrsAnswer> {
	const url = `${lrs.endpoint}/statements?statementId=${encodeURIComponent(statementId)}`;
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'PUT',
			redirect: 'manual',
			signal: AbortSignal.timeout(timeoutMs),
			headers: {
				'content-type': 'application/json',
				'x-experience-api-version': '1.0.3',
				authorization: `Basic ${Buffer.from(`${lrs.key}:${lrs.secret}`, 'utf8').toString('base64')}`,
				'user-agent': USER_AGENT
			},
			body
		});
	} catch (error) {
		const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
		const what = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? `no answer within ${timeoutMs / 1000} s` : `${error instanceof Error ? error.message : String(error)}${cause}`;
		return { outcome: 'retry', status: null, text: `Could not reach the LRS: ${what}` };
	}
	let text: string;
	try {
		text = await answerText(response);
	} catch (error) {
		text = `(the answer broke off: ${error instanceof Error ? error.message : String(error)})`;
	}
	const status = response.status;
	if (status === 200 || status === 204 || status === 409) return { outcome: 'delivered', status, text };
	if (status === 429 || status >= 500) return { outcome: 'retry', status, text };
	if (status >= 300 && status < 400) return { outcome: 'refused', status, text: `The LRS redirected to ${response.headers.get('location') ?? 'another address'}: set that address as the endpoint. ${text}`.trim() };
	return { outcome: 'refused', status, text };
}
