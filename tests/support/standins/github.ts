// A local HTTP server speaking the parts of GitHub's OAuth and REST API that sign-in uses:
// /login/oauth/authorize, /login/oauth/access_token, /user and /user/emails.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GithubUser {
  id: number;
  login: string;
  name: string | null;
  avatar_url: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GithubStandIn {
  url: string;
  /** The account the next authorisation signs in as. */
  signInAs(user: GithubUser): void;
  /** Requests seen, for asserting the client spoke the protocol. */
  seen: { method: string; path: string; auth?: string | undefined; body?: string }[];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });

/** Starts the stand-in on 127.0.0.1. */
export async function startGithubStandIn(clientId: string, clientSecret: string): Promise<GithubStandIn> {
  let current: GithubUser | null = null;
  const codes = new Map<string, GithubUser>();
  const tokens = new Map<string, GithubUser>();
  const seen: GithubStandIn['seen'] = [];

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    seen.push({ method: req.method ?? '', path: url.pathname, auth: req.headers.authorization, body });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/login/oauth/authorize') {
      // GitHub shows a consent page; the stand-in approves at once as the chosen user.
      if (url.searchParams.get('client_id') !== clientId || !current) return json(400, { error: 'bad_request' });
      const code = randomBytes(8).toString('hex');
      codes.set(code, current);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      const user = codes.get(form.get('code') ?? '');
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret || !user) {
        return json(200, {
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
        });
      }
      codes.delete(form.get('code') ?? '');
      const token = `gho_${randomBytes(12).toString('hex')}`;
      tokens.set(token, user);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const user = tokens.get((req.headers.authorization ?? '').replace(/^(Bearer|token) /i, ''));
    if (!user) return json(401, { message: 'Requires authentication' });
    if (url.pathname === '/user') {
      return json(200, { id: user.id, login: user.login, name: user.name, avatar_url: user.avatar_url, email: null });
    }
    if (url.pathname === '/user/emails')
      return json(
        200,
        user.emails.map((e) => ({ ...e, visibility: null })),
      );
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    signInAs: (user) => {
      current = user;
    },
    seen,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
