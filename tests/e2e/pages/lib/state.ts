// A fixture page's observable state: one plain JSON object at `window.__state`, read by the tests
// (tests/e2e/support/browser.ts waits on it), and the page's actions at `window.__act`.

/** Milliseconds since the epoch with sub-millisecond precision: comparable across pages of one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

/** Publishes `initial` as `window.__state` and returns it; mutate the returned object. */
export function publishState<S extends object>(initial: S): S {
  Object.assign(window, { __state: initial });
  return initial;
}

/** Publishes the page's actions as `window.__act` for `page.evaluate`. */
export function publishActions(actions: Record<string, (...args: never[]) => unknown>): void {
  Object.assign(window, { __act: actions });
}

/** The page's query parameters (`?server=…&token=…`). */
export function param(name: string, fallback = ''): string {
  return new URLSearchParams(location.search).get(name) ?? fallback;
}

/** How a page shows another client's Awareness state: its user's name, and its caret if it set one. */
export function awarenessLabel(state: { user?: { name?: unknown }; caret?: unknown }): string {
  const name = String(state.user?.name ?? '');
  return state.caret === undefined ? name : `${name} @ ${String(state.caret)}`;
}
