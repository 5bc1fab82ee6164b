// A local SMTP server (smtp-server, the relay side of nodemailer's project) that keeps every message
// it accepts, parsed by mailparser. It can be stopped and started again on the same port, to play a
// relay that is down at send time. Plain SMTP with AUTH PLAIN/LOGIN allowed without TLS: its URL
// opts out of the STARTTLS the mailer requires with credentials (`?requireTLS=false`).
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpStandIn {
  /** smtp://user:secret@127.0.0.1:<port>?requireTLS=false */
  url: string;
  messages: ParsedMail[];
  /** The user names that authenticated. */
  logins: string[];
  /** Stops listening (connections are refused) until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const USER = 'ensemble';
const PASSWORD = 'smtp-secret';

/** Starts the stand-in on 127.0.0.1 on a free port; `authOptional` also takes mail without a login. */
export async function startSmtpStandIn(options: { authOptional?: boolean } = {}): Promise<SmtpStandIn> {
  const messages: ParsedMail[] = [];
  const logins: string[] = [];
  const make = () =>
    new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: options.authOptional ?? false,
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username !== USER || auth.password !== PASSWORD) return cb(new Error('Invalid username or password'));
        logins.push(auth.username ?? '');
        cb(null, { user: auth.username });
      },
      onData(stream, _session, cb) {
        // The message is kept before the 250 reply: once the sender's send resolves, it is here.
        simpleParser(stream).then(
          (mail) => {
            messages.push(mail);
            cb();
          },
          (err: Error) => cb(err),
        );
      },
    });
  let server = make();
  const listen = (port: number) =>
    new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', fail);
        ok();
      });
    });
  await listen(0);
  const { port } = server.server.address() as AddressInfo;
  let up = true;
  const stop = () =>
    new Promise<void>((ok) => {
      if (!up) return ok();
      up = false;
      server.close(() => ok());
    });
  return {
    url: `smtp://${USER}:${PASSWORD}@127.0.0.1:${port}?requireTLS=false`,
    messages,
    logins,
    stop,
    async start() {
      if (up) return;
      server = make();
      await listen(port);
      up = true;
    },
    close: stop,
  };
}
