// bench/sdk/browser-latency — what a person on the SDK waits for in a browser: two Chromium pages
// (two contexts, two users) on the SDK fixture page of tests/e2e/pages/sdk-editor.ts against one
// Ensemble, measuring
//   - presence join: page A's socket connected (its join request goes out next) → page B lists A;
//   - cursor: A's pointer moves over the canvas as often as the SDK's cursor throttle lets a move out
//     at once (every 50 ms plus a random 0–50 ms, so the moves fall at every phase of the server's
//     50 ms cursor tick instead of at one fixed phase) → B's `cursor` event;
//   - typing: A types N characters at human speed into the bound <textarea> → B's text; per
//     keystroke (and the part of it before A's SDK emits the `doc-update`), and from the last
//     keystroke until B's text equals A's.
// Times are taken in the pages (performance.timeOrigin + now(): one machine, one clock). A script,
// not a test:
//
//   node_modules/.bin/node bench/sdk/browser-latency.ts [--smoke]
//     [--joins 40] [--moves 400] [--chars 200] [--key-delay 150]
//
// One Ensemble runs in this process (single node; REDIS_URL from BENCH_REDIS_URL if set) on a
// throwaway database of the local PostgreSQL at BENCH_PG_ADMIN_URL; results go to stdout as a
// Markdown table and (not with --smoke) to bench/sdk/browser-latency.json (-redis.json with Redis).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.ts';
import { startEnsemble } from '../../src/server.ts';
import { launchChromium, openPage, readState, waitForState } from '../../tests/e2e/support/browser.ts';
import { serveFixtures } from '../../tests/e2e/support/site.ts';

const { values: args } = parseArgs({
  options: {
    joins: { type: 'string', default: '40' },
    moves: { type: 'string', default: '400' },
    chars: { type: 'string', default: '200' },
    'key-delay': { type: 'string', default: '150' },
    smoke: { type: 'boolean', default: false },
  },
});
const JOINS = args.smoke ? 3 : Number(args.joins);
const MOVES = args.smoke ? 40 : Number(args.moves);
const CHARS = args.smoke ? 20 : Number(args.chars);
const KEY_DELAY_MS = Number(args['key-delay']);
const CURSOR_THROTTLE_MS = 50; // the SDK's default
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

interface PageState {
  synced: boolean;
  text: string;
  self: { id: string } | null;
  others: { id: string }[];
  presenceLog: [string, 'in' | 'out', number][];
  connectedAt: number;
  cursors: [string, number, number, number][];
  moved: [number, number, number][];
  typed: [number, number][];
  sent: [string, number][];
  received: [number, number][];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nodeNow = () => performance.timeOrigin + performance.now();

/**
 * How far the page's clock (`timeOrigin + now()`) is ahead of this process's: each page's origin is
 * fixed at its navigation and may be off by milliseconds, so every page time is corrected by this.
 * Taken from the quickest of 30 round trips, at its midpoint.
 */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 30; i++) {
    const sent = nodeNow();
    const there = await page.evaluate(() => performance.timeOrigin + performance.now());
    const back = nodeNow();
    if (back - sent < best.rtt) best = { rtt: back - sent, offset: there - (sent + back) / 2 };
  }
  return best.offset;
}
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const summary = (values: number[]) => ({
  n: values.length,
  p50: pct(values, 50),
  p95: pct(values, 95),
  max: Math.max(...values),
});
const ms = (v: number) => `${v.toFixed(1)} ms`;

const dbName = `ensemble_bench_browser_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${dbName}`;
const site = await serveFixtures();
const ensemble = await startEnsemble(
  loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl.toString(),
    ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_HASH_MEMORY_KIB: '1024',
    CORS_ORIGINS: site.origin,
    DATA_DIR: mkdtempSync(join(os.tmpdir(), 'ensemble-bench-browser-')),
  }),
  pino({ level: 'silent' }),
);
let browser: Browser | null = null;

const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(ensemble.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
};
const register = async (name: string) => {
  const email = `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.test`;
  const session = await post('/api/auth/register', { email, password: 'a long bench passphrase', name });
  return { id: session.user.id as string, name, token: session.accessToken as string };
};

const loadBefore = os.loadavg().map((l) => Number(l.toFixed(2)));
try {
  const [alice, bob] = [await register('Alice'), await register('Bob')];
  const team = await post('/api/teams', { name: 'Bench team' }, alice.token);
  await post(`/api/teams/${team.id}/members`, { userId: bob.id, role: 'editor' }, alice.token);
  const ds = await post('/api/design-systems', { teamId: team.id, name: 'Bench DS' }, alice.token);
  const component = await post(
    `/api/design-systems/${ds.id}/components`,
    { name: 'Field', category: 'bench', code: '' },
    alice.token,
  );
  const url = (who: { token: string; name: string }) =>
    site.url('sdk-editor', {
      server: ensemble.url,
      token: who.token,
      ds: ds.id,
      doc: `component:${component.id}`,
      name: who.name,
    });
  browser = await launchChromium();
  const b = await openPage(browser, url(bob));
  await waitForState(b.page, (s: PageState) => s.synced);
  const bOffset = await clockOffset(b.page);
  /** B's clock minus A's: subtracted from every "B saw it at − A did it at". */
  const skews: number[] = [];

  // Presence join: A opens, B lists A; A closes, B drops A; again.
  const joins: number[] = [];
  for (let i = 0; i < JOINS; i++) {
    const a = await openPage(browser, url(alice));
    await waitForState(
      b.page,
      (s: PageState, [id, n]) => s.presenceLog.filter(([u, e]) => u === id && e === 'in').length > n,
      [alice.id, i] as [string, number],
    );
    const aState = await readState<PageState>(a.page);
    const skew = bOffset - (await clockOffset(a.page));
    skews.push(skew);
    const seen = (await readState<PageState>(b.page)).presenceLog.filter(([u, e]) => u === alice.id && e === 'in');
    joins.push((seen[i]?.[2] ?? Number.NaN) - aState.connectedAt - skew);
    await a.context.close();
    await waitForState(
      b.page,
      (s: PageState, [id, n]) => s.presenceLog.filter(([u, e]) => u === id && e === 'out').length > n,
      [alice.id, i] as [string, number],
    );
  }
  process.stderr.write(`joins: ${joins.length}\n`);

  // A stays for the cursor and typing runs.
  const a = await openPage(browser, url(alice));
  await waitForState(a.page, (s: PageState) => s.synced);
  await waitForState(b.page, (s: PageState, id) => s.others.some((o) => o.id === id), alice.id);
  const skew = bOffset - (await clockOffset(a.page));
  skews.push(skew);
  const box = await a.page.locator('#canvas').boundingBox();
  if (!box) throw new Error('no #canvas');
  for (let i = 0; i < MOVES; i++) {
    const started = Date.now();
    await a.page.mouse.move(box.x + 1 + (i % 398), box.y + 1 + Math.floor(i / 398));
    const gap = CURSOR_THROTTLE_MS * (1 + Math.random());
    await sleep(Math.max(0, gap - (Date.now() - started)));
  }
  await sleep(500);
  const moved = (await readState<PageState>(a.page)).moved;
  const arrivals = new Map<string, number>();
  for (const [user, x, y, at] of (await readState<PageState>(b.page)).cursors)
    if (user === alice.id) arrivals.set(`${x},${y}`, at);
  const cursors: number[] = [];
  for (const [x, y, at] of moved) {
    const arrived = arrivals.get(`${x},${y}`);
    if (arrived !== undefined) cursors.push(arrived - at - skew);
  }
  process.stderr.write(`cursor moves: ${moved.length} made, ${cursors.length} arrived\n`);

  // Typing: A types at human speed at the end of the text; B follows.
  await a.page.locator('#editor').focus();
  await a.page.keyboard.press('Control+End');
  const sample = 'const label = props.label ?? "Submit"; return <button className="field">{label}</button>; ';
  const typedText = sample.repeat(Math.ceil(CHARS / sample.length)).slice(0, CHARS);
  await a.page.keyboard.type(typedText, { delay: KEY_DELAY_MS });
  await waitForState(
    b.page,
    (s: PageState, text) => s.text === text,
    (await readState<PageState>(a.page)).text,
    30_000,
  );
  const [aState, bState] = [await readState<PageState>(a.page), await readState<PageState>(b.page)];
  const lastKey = aState.typed.at(-1)?.[1] ?? Number.NaN;
  const equalAt = bState.received.find(([len]) => len === aState.text.length)?.[1] ?? Number.NaN;
  const keystrokes = aState.typed.map(
    ([len, at]) => (bState.received.find(([l]) => l >= len)?.[1] ?? Number.NaN) - at - skew,
  );
  const convergence = equalAt - lastKey - skew;
  const sentUpdates = aState.sent.filter(([e]) => e === 'doc-update').map(([, at]) => at);
  const localWait = aState.typed.map(([, at]) => (sentUpdates.find((t) => t >= at) ?? Number.NaN) - at);

  // Drift of B's clock over the run, against the start.
  const drift = (await clockOffset(b.page)) - bOffset;

  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`,
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      kernel: os.release(),
      node: process.version,
      chromium: browser.version(),
      mode: process.env.BENCH_REDIS_URL ? 'Redis' : 'single node',
      // The machine is shared: the load average says how busy it was around the run.
      loadAverage: { before: loadBefore, after: os.loadavg().map((l) => Number(l.toFixed(2))) },
    },
    settings: {
      joins: JOINS,
      moves: MOVES,
      chars: CHARS,
      keyDelayMs: KEY_DELAY_MS,
      cursorThrottleMs: CURSOR_THROTTLE_MS,
    },
    presenceJoin: { ...summary(joins), samples: joins.map((v) => Number(v.toFixed(1))) },
    cursor: { ...summary(cursors), moved: moved.length },
    keystroke: summary(keystrokes),
    keystrokeToSend: summary(localWait),
    convergenceAfterLastKeyMs: convergence,
    clocks: { skewsMs: summary(skews.map(Math.abs)), bDriftMs: drift },
  };
  console.log('| measure | n | p50 | p95 | max |\n|---|--:|--:|--:|--:|');
  const row = (label: string, s: { n: number; p50: number; p95: number; max: number }) =>
    console.log(`| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} |`);
  row('presence join (A connected → B lists A)', results.presenceJoin);
  row(`cursor (A moves every ${CURSOR_THROTTLE_MS}–${2 * CURSOR_THROTTLE_MS} ms → B's cursor event)`, results.cursor);
  row(`keystroke (A types, ${KEY_DELAY_MS} ms apart → B's text)`, results.keystroke);
  row("  of which A's keystroke → A's SDK sends the doc-update", results.keystrokeToSend);
  console.log(
    `\nconvergence after ${CHARS} characters: ${ms(convergence)} from A's last keystroke until B's text equals A's`,
  );
  console.log(`machine: ${JSON.stringify(results.machine)}`);
  console.log(
    `page clocks: |B − A| p50 ${ms(results.clocks.skewsMs.p50)}, max ${ms(results.clocks.skewsMs.max)}; B drifted ${ms(drift)}`,
  );
  const file = `browser-latency${process.env.BENCH_REDIS_URL ? '-redis' : ''}.json`;
  if (!args.smoke) writeFileSync(new URL(file, import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  const pages: Page[] = [a.page, b.page];
  for (const page of pages) await page.context().close();
} finally {
  await browser?.close();
  await ensemble.close();
  await site.close();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
}
