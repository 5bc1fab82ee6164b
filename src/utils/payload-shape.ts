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

/** Walks `value` breadth-first with an explicit stack; stops at the first limit passed. */
export function measurePayload(value: unknown, limits: { maxBytes?: number; maxDepth?: number } = {}): PayloadShape {
  const maxBytes = limits.maxBytes ?? Infinity;
  const maxDepth = limits.maxDepth ?? MAX_PAYLOAD_DEPTH;
  let bytes = 0;
  let depth = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, level] = stack.pop() as [unknown, number];
    if (current === null || current === undefined) bytes += 4;
    else if (typeof current === 'string') bytes += current.length;
    else if (typeof current === 'number' || typeof current === 'boolean') bytes += 8;
    else if (ArrayBuffer.isView(current)) bytes += current.byteLength;
    else if (current instanceof ArrayBuffer) bytes += current.byteLength;
    else if (typeof current === 'object') {
      const inner = level + 1;
      if (inner > depth) depth = inner;
      if (depth > maxDepth) return { bytes, depth, exceeded: 'depth' };
      bytes += 2;
      if (Array.isArray(current)) {
        for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], inner]);
      } else {
        const record = current as Record<string, unknown>;
        for (const key in record) {
          if (!Object.hasOwn(record, key)) continue;
          bytes += key.length + 2;
          stack.push([record[key], inner]);
        }
      }
    }
    if (bytes > maxBytes) return { bytes, depth, exceeded: 'bytes' };
  }
  return { bytes, depth, exceeded: null };
}
