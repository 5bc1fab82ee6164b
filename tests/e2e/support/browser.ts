// Chromium (Debian's /usr/bin/chromium) driven by playwright-core, and reading a page's state.
// API (kept small and stable; tests/e2e/demo* may use it):
//
//   const browser = await launchChromium();          // once per test file (beforeAll)
//   const { page, context, logs } = await openPage(browser, url);   // a fresh context: its own user
//   await waitForState(page, (s: S, arg) => …, arg); // polls window.__state until true
//   const s = await readState<S>(page);
//   await browser.close();                           // afterAll
//
// Predicates run in the page: they may use only their arguments (no closures over test variables).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console lines and uncaught errors of the page, in order. */
  logs: string[];
}

/** Opens `url` in a new browser context (its own cookies and storage: another person). */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (err) => logs.push(`pageerror: ${err.message}`));
  await page.goto(url);
  return { page, context, logs };
}

/** The page's `window.__state` (a copy). */
export function readState<S>(page: Page): Promise<S> {
  return page.evaluate(() => (window as unknown as { __state: S }).__state);
}

/** Waits until `predicate(window.__state, arg)` is true in the page; fails after `timeoutMs`, showing the state. */
export async function waitForState<S, A = undefined>(
  page: Page,
  predicate: (state: S, arg: A) => boolean,
  arg?: A,
  timeoutMs = 10_000,
): Promise<void> {
  const waiting = page.waitForFunction(
    ([source, a]) => {
      const state = (window as unknown as { __state?: unknown }).__state;
      // The predicate's source, compiled in the page (it cannot be passed as a function).
      return state !== undefined && Boolean(new Function(`return (${source})`)()(state, a));
    },
    [predicate.toString(), arg] as const,
    { timeout: timeoutMs, polling: 20 },
  );
  try {
    await waiting;
  } catch (err) {
    const state = await readState(page).catch(() => 'unreadable');
    const first = (err as Error).message.split('\n')[0];
    const shown = JSON.stringify(state).slice(0, 3000);
    throw new Error(`${first}\n  waiting for ${predicate.toString()} (${JSON.stringify(arg)})\n  state: ${shown}`);
  }
}
