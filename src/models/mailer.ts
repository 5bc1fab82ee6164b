// The one place email leaves the server: a nodemailer SMTP transport made from SMTP_URL
// (smtp://user:pass@host:587 must upgrade with STARTTLS, see below; smtps:// is TLS from the start).
// Everything else sees only `Mailer`, so the digest code never touches nodemailer.
import { createTransport } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

/** One message with both an HTML and a plain-text part. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/** Sends mail; `send` resolves once the relay accepted the message, and rejects otherwise. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** An SMTP mailer for `url`, sending as `from`; each connection step gives up after `timeoutMs`. */
export function smtpMailer(url: string, from: string, timeoutMs: number): Mailer {
  const options = parseConnectionUrl(url);
  // With credentials, STARTTLS is required rather than used "when offered": a relay (or someone in
  // between) that offers none would otherwise get the password in the clear. `?requireTLS=false`
  // in SMTP_URL opts out, for a relay on a network one trusts.
  if (options.auth && !options.secure && options.requireTLS === undefined) options.requireTLS = true;
  const transport = createTransport({
    ...options,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close() {
      transport.close();
    },
  };
}
