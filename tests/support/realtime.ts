// Real socket.io-client connections to a test server, and small helpers to await events and acks.
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { edit } from './yjs-client.ts';
import type { TestServer } from './server.ts';

export type Client = Socket;

export interface Ack {
  ok: boolean;
  data?: any;
  error?: { code: string; message: string; details?: unknown };
}

/** Connects as a user (access token) or API key; rejects with the connect_error data. */
export function connect(
  server: { url: string } | TestServer,
  who: { accessToken: string } | string | null,
  options: { origin?: string; transports?: ('websocket' | 'polling')[] } = {},
): Promise<Client> {
  const token = who === null ? undefined : typeof who === 'string' ? who : who.accessToken;
  const socket = io(server.url, {
    transports: options.transports ?? ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: token ? { token } : {},
    ...(options.origin ? { extraHeaders: { Origin: options.origin } } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.close();
      reject(Object.assign(new Error(err.message), { data: err.data }));
    });
  });
}

/** Emits with an ack and resolves with the ack (or rejects after `ms`). */
export function call(socket: Client, event: string, payload: unknown, ms = 5000): Promise<Ack> {
  return socket.timeout(ms).emitWithAck(event, payload) as Promise<Ack>;
}

/** The next `event` whose payload passes `match`. */
export function next<T = any>(
  socket: Client,
  event: string,
  match: (p: T) => boolean = () => true,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, ms);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Every `event` from now on, in order. */
export function collect<T = any>(socket: Client, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (p: T) => seen.push(p));
  return seen;
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true (or fails after `ms`). */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000, every = 50): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(every);
  }
  throw new Error('condition not met in time');
}

/** Connects as `who` and joins a design system (asserting the ack); the client goes into `opened` for clean-up. */
export async function joinDesignSystem(
  server: { url: string },
  who: { accessToken: string },
  designSystemId: string,
  opened: Client[],
): Promise<{ socket: Client; ack: Ack }> {
  const socket = await connect(server, who);
  opened.push(socket);
  const ack = await call(socket, 'join-design-system', { designSystemId, token: who.accessToken });
  if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack.error)}`);
  return { socket, ack };
}

/**
 * One live edit over its own connection: subscribes to `docName`, applies `fn` to a copy of its
 * state, sends the update and resolves with the acknowledgement (or the refused subscription).
 */
export async function editLive(
  server: { url: string },
  who: { accessToken: string },
  docName: string,
  fn: (doc: Y.Doc) => void,
): Promise<Ack> {
  const socket = await connect(server, who);
  try {
    const subscribed = await call(socket, 'doc-subscribe', { docName });
    if (!subscribed.ok) return subscribed;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(subscribed.data.state));
    return await call(socket, 'doc-update', { docName, update: edit(doc, fn) });
  } finally {
    socket.close();
  }
}

/**
 * A Socket.IO subscriber of `docName` with its own Y.Doc kept in sync from `doc-update`; close its
 * socket when done.
 */
export async function subscribeDoc(server: { url: string }, who: { accessToken: string }, docName: string) {
  const socket = await connect(server, who);
  const ack = await call(socket, 'doc-subscribe', { docName });
  if (!ack.ok) {
    socket.close();
    throw new Error(`doc-subscribe ${docName}: ${ack.error?.code}`);
  }
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(ack.data.state));
  socket.on('doc-update', (p: { docName: string; update: ArrayBuffer }) => {
    if (p.docName === docName) Y.applyUpdate(doc, new Uint8Array(p.update));
  });
  return { socket, doc, readOnly: ack.data.readOnly as boolean };
}
