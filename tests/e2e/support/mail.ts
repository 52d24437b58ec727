import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * The mail the app sent, as the e2e server's mail sink (scripts/mail-sink.js) received it: one
 * file per message in tests/.artifacts/mail-<port>/.
 */
export function mailDir(): string {
	return `tests/.artifacts/mail-${process.env.E2E_PORT}`;
}

export interface SentMail {
	to: string;
	subject: string;
	text: string;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= or =?UTF-8?B?…?=, as nodemailer writes a non-ASCII subject), decoded. */
function decodeWords(value: string): string {
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, how: string, text: string) =>
			how.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
		);
}

/** A header's value, unfolded and decoded. */
function header(head: string, name: string): string {
	const match = new RegExp(`^${name}:(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
	return decodeWords((match?.[1] ?? '').replace(/\r?\n[ \t]/g, ' ').trim());
}

function decode(head: string, body: string): string {
	const encoding = header(head, 'Content-Transfer-Encoding').toLowerCase();
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') {
		const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
		return Buffer.from(bytes, 'latin1').toString('utf8');
	}
	return body;
}

/** Every message sent to this address so far, oldest first. */
export function mailTo(address: string): SentMail[] {
	if (!existsSync(mailDir())) return [];
	return readdirSync(mailDir())
		.filter((name) => name.endsWith('.eml'))
		.sort((a, b) => parseInt(a) - parseInt(b))
		.map((name) => {
			const raw = readFileSync(`${mailDir()}/${name}`, 'utf8');
			const split = raw.search(/\r?\n\r?\n/);
			const head = raw.slice(0, split);
			return { to: header(head, 'To'), subject: header(head, 'Subject'), text: decode(head, raw.slice(split).replace(/^\r?\n\r?\n/, '')) };
		})
		.filter((mail) => mail.to.toLowerCase().includes(address.toLowerCase()));
}

/** The reset link of a message, as a path on the app. */
export function resetPathIn(mail: SentMail): string {
	const match = /https?:\/\/[^/\s]+(\/login\/reset\/[A-Za-z0-9_-]+)/.exec(mail.text);
	if (!match) throw new Error(`no reset link in the mail to ${mail.to}`);
	return match[1]!;
}
