// Exports are pure functions of the token map, its themes and groups, the format and the options,
// and a Style Dictionary build is the expensive part of a request (≈ 90 exports/s on this machine):
// results are kept by the state of the tokens document they were read from (`docState`: which copy,
// how many changes it has had) with the format and options, so a cached answer can never be stale —
// any change to the document is a different key, and the inputs are not even read on a hit.
// Least recently used entries go first.
import { createHash } from 'node:crypto';
import type * as Y from 'yjs';
import type { ExportResult } from './index.ts';

const states = new WeakMap<Y.Doc, { copy: number; changes: number }>();
let copies = 0;

/**
 * A key for the current state of a document copy: it changes with every change of the copy — an
 * insertion or a deletion, local or applied from elsewhere, each ends in an `update` event — and
 * differs between copies (a reload is a new Y.Doc). A state vector would not do: a deletion leaves
 * it as it was.
 */
export function docState(doc: Y.Doc): string {
  let state = states.get(doc);
  if (!state) {
    const fresh = { copy: ++copies, changes: 0 };
    doc.on('update', () => {
      fresh.changes++;
    });
    states.set(doc, fresh);
    state = fresh;
  }
  return `${state.copy}.${state.changes}`;
}

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

  /** The cached result for `key`, if there is one (counts as a use). */
  peek(key: string): ExportResult | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
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
