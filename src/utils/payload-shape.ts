// Measures a decoded payload (JSON-like values, binary views) without recursion, so a hostile
// nesting of thousands of levels is refused before any recursive code (zod, Yjs, presenters) sees
// it. The walk stops as soon as a limit is passed: a huge payload costs no more than the limit.

/** Nesting deeper than this is refused everywhere (REST bodies, socket payloads, token files). */
export const MAX_PAYLOAD_DEPTH = 64;

export interface PayloadShape {
  /** Roughly how many bytes the value takes on the wire (binary parts by length). */
  bytes: number;
  /** The deepest nesting of arrays and objects seen (a scalar is 0). */
  depth: number;
  /** The first limit passed, if any (then `bytes`/`depth` are where the walk stopped). */
  exceeded: 'bytes' | 'depth' | null;
}

/** The wire size of a scalar or binary value; -1 for an array or object. */
function leafBytes(value: unknown): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  return typeof value === 'object' ? -1 : 0;
}

/**
 * Walks `value` with an explicit stack; stops at the first limit passed. Scalars are counted where
 * they are found, so only nested arrays and objects are ever pushed (a flat event payload allocates
 * nothing).
 */
export function measurePayload(value: unknown, limits: { maxBytes?: number; maxDepth?: number } = {}): PayloadShape {
  const maxBytes = limits.maxBytes ?? Infinity;
  const maxDepth = limits.maxDepth ?? MAX_PAYLOAD_DEPTH;
  const top = leafBytes(value);
  if (top >= 0) return { bytes: top, depth: 0, exceeded: top > maxBytes ? 'bytes' : null };
  let bytes = 0;
  let depth = 0;
  const stack: unknown[] = [value];
  const levels: number[] = [1];
  while (stack.length) {
    const current = stack.pop() as object;
    const level = levels.pop() as number;
    if (level > depth) depth = level;
    if (depth > maxDepth) return { bytes, depth, exceeded: 'depth' };
    bytes += 2;
    const visit = (child: unknown): void => {
      const leaf = leafBytes(child);
      if (leaf >= 0) bytes += leaf;
      else {
        stack.push(child);
        levels.push(level + 1);
      }
    };
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) visit(current[i]);
    } else {
      const record = current as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        bytes += key.length + 2;
        visit(record[key]);
      }
    }
    if (bytes > maxBytes) return { bytes, depth, exceeded: 'bytes' };
  }
  return { bytes, depth, exceeded: null };
}
