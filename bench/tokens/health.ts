// Asks /health every `everyMs` and keeps the worst answer time: how long a tenant waiting on any
// request is held up while a token import or export runs on the same server.

/** Starts asking; `stop()` waits for the last answer and gives the worst time in ms. */
export function watchHealth(baseUrl: string, everyMs: number): { stop(): Promise<number> } {
  let running = true;
  let worst = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${baseUrl}/health`);
      await res.arrayBuffer();
      worst = Math.max(worst, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return worst;
    },
  };
}
