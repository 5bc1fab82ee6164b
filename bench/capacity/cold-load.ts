// bench/capacity/cold-load — time to first sync of a document whose update log is long: 100,000
// small edits logged, then a client subscribes to it on a node that does not hold it; again after
// compaction. A script, not a test:
//
//   node_modules/.bin/node bench/capacity/cold-load.ts [--updates 100000] [--smoke]
//
// One Ensemble runs in this process (single node, a throwaway database on the local PostgreSQL at
// BENCH_PG_ADMIN_URL); the edits are appended straight to the update log (as a long editing
// session would leave it), the "cold" read is a `doc-subscribe` over Socket.IO after the live copy
// was dropped.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { io } from 'socket.io-client';
import * as Y from 'yjs';
import { loadConfig } from '../../src/config/config.ts';
import { PgUpdateLog } from '../../src/models/documents/pg-update-log.ts';
import { startEnsemble } from '../../src/server.ts';

const { values: args } = parseArgs({
  options: { updates: { type: 'string', default: '100000' }, smoke: { type: 'boolean', default: false } },
});
const count = args.smoke ? 2000 : Number(args.updates);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const dbName = `ensemble_bench_cold_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${dbName}`;
const ensemble = await startEnsemble(
  // Compaction only when asked for: the log must stay long for the first read.
  loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl.toString(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_HASH_MEMORY_KIB: '1024',
    DOC_COMPACT_AFTER_UPDATES: '1000000',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ensemble-bench-cold-')),
  }),
  pino({ level: 'silent' }),
);
const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(ensemble.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status}`);
  return (await res.json()) as Record<string, any>;
};

/** Subscribes over Socket.IO and resolves with the time to the state and its size. */
async function firstSync(token: string, docName: string): Promise<{ ms: number; bytes: number }> {
  const socket = io(ensemble.url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
  await new Promise<void>((ok) => socket.once('connect', () => ok()));
  const started = performance.now();
  const ack = await socket.timeout(600_000).emitWithAck('doc-subscribe', { docName });
  const ms = performance.now() - started;
  socket.close();
  if (!ack.ok) throw new Error(`doc-subscribe: ${JSON.stringify(ack.error)}`);
  return { ms, bytes: new Uint8Array(ack.data.state).byteLength };
}

/** Drops every live copy (once the subscriber that opened it has left). */
async function dropAll(): Promise<void> {
  for (let i = 0; i < 100 && ensemble.services.documents.size > 0; i++) {
    await ensemble.services.documents.unloadIdle(Date.now() + 3600_000);
    if (ensemble.services.documents.size > 0) await new Promise((r) => setTimeout(r, 50));
  }
  if (ensemble.services.documents.size > 0) throw new Error('the document stayed in memory');
}

try {
  const session = await post('/api/auth/register', {
    email: `cold-${randomBytes(4).toString('hex')}@example.test`,
    password: 'a long bench passphrase',
    name: 'Cold',
  });
  const token = session.accessToken as string;
  const team = await post('/api/teams', { name: 'Cold team' }, token);
  const ds = await post('/api/design-systems', { teamId: team.id, name: 'Cold DS' }, token);
  const component = await post(
    `/api/design-systems/${ds.id}/components`,
    { name: 'Long', category: 'bench', code: '' },
    token,
  );
  const docName = `component:${component.id as string}`;
  await firstSync(token, docName);
  await dropAll();

  // 100,000 edits of a few characters each, appended to the log as an editing session leaves them.
  const log = new PgUpdateLog(dbUrl.toString(), { poolSize: 4 });
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const text = doc.getText('code');
  const appendStarted = performance.now();
  for (let i = 0; i < count; i++) {
    text.insert(Math.floor(Math.random() * (text.length + 1)), i % 7 === 0 ? '\n' : 'ab');
    if (updates.length >= 500) await Promise.all(updates.splice(0).map((u) => log.append(docName, u, null)));
  }
  await Promise.all(updates.splice(0).map((u) => log.append(docName, u, null)));
  await log.close();
  console.log(
    `${count} updates logged in ${((performance.now() - appendStarted) / 1000).toFixed(1)} s; text ${text.length} characters`,
  );

  const cold = await firstSync(token, docName);
  console.log(
    `cold load, ${count} log rows: first sync after ${cold.ms.toFixed(0)} ms (${(cold.bytes / 1024).toFixed(0)} KiB of state)`,
  );
  await dropAll();
  await ensemble.services.documents.compact(docName);
  const compacted = await firstSync(token, docName);
  console.log(
    `cold load after compaction: first sync after ${compacted.ms.toFixed(0)} ms (${(compacted.bytes / 1024).toFixed(0)} KiB of state)`,
  );
  console.log(
    `\n| log rows | time to first sync, long log | after compaction |\n|--:|--:|--:|\n| ${count} | ${cold.ms.toFixed(0)} ms | ${compacted.ms.toFixed(0)} ms |`,
  );
} finally {
  await ensemble.close();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}
