// Counts one connection's refused document updates (both transports). Every refusal is answered,
// but the sender is told why (a typed event, or y-protocols' permission-denied message) at most
// once a second per document and reason, and a connection refused too often in a short window is closed.
import { COMPENSATED } from '../services/documents/document-change.ts';
import type { ErrorCode } from '../utils/errors.ts';

/**
 * Codes that mean "this edit was refused and reverted", as opposed to "try again" or "resync": the
 * refusals the document service compensates, and an update that could not be read at all.
 */
export const REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set([...COMPENSATED, 'invalid_update']);

const WINDOW_MS = 10_000;
const TELL_EVERY_MS = 1000;

/** One connection's refusals. */
export class RefusalTally {
  private readonly limit: number;
  private times: number[] = [];
  private readonly told = new Map<string, number>();

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Records a refusal of an update to `docName`: whether to tell the sender now, and whether to close the connection. */
  record(docName: string, code: string, now = Date.now()): { tell: boolean; disconnect: boolean } {
    this.times = this.times.filter((t) => now - t < WINDOW_MS);
    this.times.push(now);
    const key = `${docName} ${code}`;
    const last = this.told.get(key) ?? -Infinity;
    const tell = now - last >= TELL_EVERY_MS;
    if (tell) this.told.set(key, now);
    return { tell, disconnect: this.times.length >= this.limit };
  }
}
