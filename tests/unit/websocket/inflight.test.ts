import { describe, expect, it } from '@jest/globals';
import { Inflight } from '../../../src/websocket/inflight.ts';

const after = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

describe('Inflight', () => {
  it('settles once the grace period passed and the work in progress ended', async () => {
    const inflight = new Inflight();
    let done = false;
    void inflight.track(after(300).then(() => (done = true)));
    const started = performance.now();
    expect(await inflight.settle(2000, 100)).toBe(true);
    expect(done).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    // Nothing in progress: the grace period alone.
    const quiet = performance.now();
    expect(await inflight.settle(2000, 100)).toBe(true);
    expect(performance.now() - quiet).toBeGreaterThanOrEqual(95);
  });

  it('gives up after the timeout, and a zero drain period does not wait at all', async () => {
    const inflight = new Inflight();
    inflight.begin();
    expect(await inflight.settle(150, 50)).toBe(false);
    expect(inflight.size).toBe(1);
    inflight.end();
    expect(await inflight.settle(0)).toBe(true);
  });
});
