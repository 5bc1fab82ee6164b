// The SMTP mailer never sends the relay's credentials in the clear: with a user and password in
// SMTP_URL, smtp:// requires STARTTLS unless the URL opts out (`?requireTLS=false`, a relay on a
// network one trusts); a relay that offers no STARTTLS then sees no login and no message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { smtpMailer } from '../../../src/models/mailer.ts';
import { startSmtpStandIn, type SmtpStandIn } from '../../support/standins/smtp.ts';

let smtp: SmtpStandIn;
beforeAll(async () => {
  smtp = await startSmtpStandIn({ authOptional: true });
});
afterAll(async () => {
  await smtp.close();
});

const message = (subject: string) => ({ to: 'ada@example.test', subject, text: 'hi', html: '<p>hi</p>' });
/** The stand-in's URL without its plaintext opt-out. */
const withoutOptOut = () => smtp.url.replace(/\?.*$/, '');

describe('the SMTP mailer', () => {
  it('refuses to log in to a relay without STARTTLS, unless the URL opts out', async () => {
    const strict = smtpMailer(withoutOptOut(), 'Ensemble <n@ensemble.test>', 2000);
    try {
      await expect(strict.send(message('in the clear'))).rejects.toThrow(/STARTTLS/);
    } finally {
      strict.close();
    }
    expect(smtp.logins).toEqual([]);
    expect(smtp.messages).toEqual([]);

    const optedOut = smtpMailer(`${withoutOptOut()}?requireTLS=false`, 'Ensemble <n@ensemble.test>', 2000);
    try {
      await optedOut.send(message('trusted network'));
    } finally {
      optedOut.close();
    }
    expect(smtp.logins).toEqual(['ensemble']);
    expect(smtp.messages.map((m) => m.subject)).toEqual(['trusted network']);
  });

  it('sends without TLS to a relay that needs no credentials', async () => {
    const anonymous = smtpMailer(withoutOptOut().replace(/\/\/[^@]+@/, '//'), 'Ensemble <n@ensemble.test>', 2000);
    try {
      await anonymous.send(message('no credentials'));
    } finally {
      anonymous.close();
    }
    expect(smtp.messages.map((m) => m.subject)).toContain('no credentials');
  });
});
