import { describe, expect, it } from 'vitest';
import { appMailer, mailConfig } from './mail';

describe('mail configuration', () => {
	it('sends mail only when both SMTP_URL and MAIL_FROM are set', () => {
		expect(mailConfig({})).toBeNull();
		expect(mailConfig({ SMTP_URL: 'smtp://user:pass@mail.example:587' })).toBeNull();
		expect(mailConfig({ MAIL_FROM: 'custodian@centre.example' })).toBeNull();
		expect(mailConfig({ SMTP_URL: '  ', MAIL_FROM: 'custodian@centre.example' })).toBeNull();
		expect(mailConfig({ SMTP_URL: 'smtp://user:pass@mail.example:587', MAIL_FROM: ' Custodian <custodian@centre.example> ' })).toEqual({
			url: 'smtp://user:pass@mail.example:587',
			from: 'Custodian <custodian@centre.example>'
		});
		expect(appMailer({})).toBeNull();
		expect(appMailer({ SMTP_URL: 'smtp://mail.example:587', MAIL_FROM: 'custodian@centre.example' })).not.toBeNull();
	});
});
