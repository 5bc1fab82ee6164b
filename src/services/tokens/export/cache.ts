// Exports are pure functions of the token map, its themes and groups, the format and the options,
// and a Style Dictionary build is the expensive part of a request (≈ 90 exports/s on this machine):
// results are kept by a hash of exactly those inputs, so a cached answer can never be stale — any
// change to the tokens is a different key. Least recently used entries go first.
import { createHash } from 'node:crypto';
import type { ExportResult } from './index.ts';

/** Results by content hash, at most `maxEntries` and `maxBytes` of content. */
export class ExportCache {
  private readonly entries = new Map<string, ExportResult>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(maxEntries = 128, maxBytes = 32 * 1024 * 1024) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** The key of an export's inputs. */
  static key(inputs: unknown): string {
    const json = JSON.stringify(inputs, (_key, value: unknown) =>
      value instanceof Map ? { map: [...value] } : value instanceof Set ? { set: [...value] } : value,
    );
    return createHash('sha256').update(json).digest('base64url');
  }

  /** The cached result for `key`, or what `build` makes (kept when it succeeds). */
  async get(key: string, build: () => Promise<ExportResult>): Promise<ExportResult> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const result = await build();
    const size = result.content.length;
    if (size > this.maxBytes) return result;
    this.entries.set(key, result);
    this.bytes += size;
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.content.length;
    }
    return result;
  }
}
