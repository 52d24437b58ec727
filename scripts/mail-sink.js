// A stand-in mail server for the end-to-end tests: accepts every message over SMTP (no TLS; any
// user name and password) and writes each, as received, to <dir>/<n>.eml. Tests read the files.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';

/** Starts the sink on a free local port; resolves with the SMTP_URL that reaches it. */
export function startMailSink(dir) {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	let count = 0;
	const server = new SMTPServer({
		disabledCommands: ['STARTTLS'],
		allowInsecureAuth: true,
		authOptional: true,
		logger: false,
		onAuth(_auth, _session, callback) {
			callback(null, { user: 'e2e' });
		},
		onData(stream, _session, callback) {
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => {
				count += 1;
				writeFileSync(`${dir}/${count}.eml`, Buffer.concat(chunks));
				callback();
			});
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve({ url: `smtp://e2e:e2e@127.0.0.1:${server.server.address().port}`, close: () => server.close() }));
	});
}
