/**
 * A stand-in learning record store for the tests (unit and end-to-end): a node:http server on
 * 127.0.0.1 that records every PUT of a statement, and can be down (connections refused, or 503),
 * up, slow, or answer a chosen status for a chosen statement. No imports of the app: Playwright's
 * tests load it too.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface RecordedPut {
	statementId: string | null;
	path: string;
	headers: IncomingMessage['headers'];
	body: string;
}

export interface StandInLrs {
	/** The xAPI endpoint to configure (no trailing slash). */
	endpoint: string;
	puts: RecordedPut[];
	/** `up` stores statements; `refusing` drops every connection at once; `unavailable` answers 503. */
	mode: 'up' | 'refusing' | 'unavailable';
	/** Statuses to answer for given statement ids, whatever the mode (e.g. 400, 409). */
	answers: Map<string, number>;
	/** A status to answer for every statement not in `answers` (null: 204). */
	everyStatus: number | null;
	/** Milliseconds to wait before answering. */
	delayMs: number;
	close(): Promise<void>;
}

export async function startStandInLrs(): Promise<StandInLrs> {
	const sockets = new Set<Socket>();
	const state: Omit<StandInLrs, 'endpoint' | 'close'> = { puts: [], mode: 'up', answers: new Map(), everyStatus: null, delayMs: 0 };
	const server: Server = createServer((request, response) => {
		if (state.mode === 'refusing') {
			request.socket.destroy();
			return;
		}
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			const statementId = url.searchParams.get('statementId');
			const answer = () => {
				if (request.method !== 'PUT' || !url.pathname.endsWith('/statements')) {
					response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
					return;
				}
				if (state.mode === 'unavailable') {
					response.writeHead(503, { 'content-type': 'text/plain' }).end('LRS down for maintenance');
					return;
				}
				state.puts.push({ statementId, path: url.pathname, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
				const status = (statementId && state.answers.get(statementId)) || state.everyStatus || 204;
				if (status === 204) response.writeHead(204).end();
				else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `Stand-in LRS answered ${status}` }));
			};
			if (state.delayMs > 0) setTimeout(answer, state.delayMs);
			else answer();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	const lrs = Object.assign(state, {
		endpoint: `http://127.0.0.1:${port}/xapi`,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			})
	});
	return lrs;
}
