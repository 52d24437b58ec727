import nodemailer from 'nodemailer';

/**
 * Outgoing mail, through the centre's SMTP server. Optional: without SMTP_URL and MAIL_FROM the app
 * sends nothing, and the pages that would (the password-reset request) say to ask the centre's
 * administrator instead.
 */

export interface MailConfig {
	/** smtp://user:pass@host:587 (STARTTLS when the server offers it) or smtps://user:pass@host:465. */
	url: string;
	/** The From address, e.g. "Custodian <custodian@centre.example>". */
	from: string;
}

/** The mail settings from the environment, or null when either is missing: no mail is sent then. */
export function mailConfig(env: Record<string, string | undefined> = process.env): MailConfig | null {
	const url = env.SMTP_URL?.trim();
	const from = env.MAIL_FROM?.trim();
	if (!url || !from) return null;
	return { url, from };
}

export interface MailMessage {
	to: string;
	subject: string;
	text: string;
}

/** Something that delivers a message, or rejects when the mail server refuses it. */
export interface Mailer {
	send(message: MailMessage): Promise<void>;
}

/** A mailer that hands each message to the SMTP server of the configuration. */
export function smtpMailer(config: MailConfig): Mailer {
	const transport = nodemailer.createTransport(config.url);
	return {
		async send(message) {
			await transport.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text });
		}
	};
}

let configured: { key: string; mailer: Mailer } | undefined;
/** The app's mailer, made once per configuration; null when mail is not configured. */
export function appMailer(env: Record<string, string | undefined> = process.env): Mailer | null {
	const config = mailConfig(env);
	if (!config) return null;
	const key = `${config.url}\n${config.from}`;
	if (configured?.key !== key) configured = { key, mailer: smtpMailer(config) };
	return configured.mailer;
}
