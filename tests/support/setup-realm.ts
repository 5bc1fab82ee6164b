// Style Dictionary clones its tokens with structuredClone and then checks them with
// `instanceof Object`. Under Jest the test realm differs from Node's, and Node's structuredClone
// (like v8.deserialize) builds objects of the outer realm, so Style Dictionary would see no tokens
// (`:root {}`). This clone is written in the test realm, so the objects it builds belong to it.
function realmClone<T>(input: T, seen = new Map<unknown, unknown>()): T {
  const value: unknown = input;
  if (value === null || typeof value !== 'object') return input;
  if (seen.has(value)) return seen.get(value) as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(realmClone(item, seen));
    return copy as T;
  }
  if (value instanceof Map || Object.prototype.toString.call(value) === '[object Map]') {
    const copy = new Map();
    seen.set(value, copy);
    for (const [k, v] of value as Map<unknown, unknown>) copy.set(realmClone(k, seen), realmClone(v, seen));
    return copy as T;
  }
  if (Object.prototype.toString.call(value) === '[object Set]') {
    const copy = new Set();
    seen.set(value, copy);
    for (const v of value as Set<unknown>) copy.add(realmClone(v, seen));
    return copy as T;
  }
  // A token import's Yjs updates (src/services/tokens/worker/import-update.ts) come back from the worker.
  if (Object.prototype.toString.call(value) === '[object Uint8Array]') return Uint8Array.from(value as Uint8Array) as T;
  if (Object.prototype.toString.call(value) === '[object Date]') return new Date((value as Date).getTime()) as T;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = realmClone((value as Record<string, unknown>)[key], seen);
  return copy as T;
}

globalThis.structuredClone = ((value: unknown) => realmClone(value)) as typeof structuredClone;
