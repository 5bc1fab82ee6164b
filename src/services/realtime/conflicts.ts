// Notices when a write replaces another user's recent value of the same field: the replaced user
// is told (`conflict-detected`) instead of silently losing their value. Tracked per node.

export interface Conflict {
  field: string;
  replacedUserId: string;
  replacedValue: unknown;
  newValue: unknown;
  at: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The last writer of each field, remembered for `windowMs`. */
export class ConflictTracker {
  private readonly windowMs: number;
  private readonly last = new Map<string, { userId: string; value: unknown; at: number }>();

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /**
   * Records a write of `value` to `key` by `userId`. It is a conflict when someone else wrote the
   * field within the window and the writer did not see their value (`base` differs, or is absent).
   */
  record(key: string, field: string, userId: string, value: unknown, base: unknown, hasBase: boolean): Conflict | null {
    const now = Date.now();
    const fieldKey = `${key}|${field}`;
    const previous = this.last.get(fieldKey);
    this.last.set(fieldKey, { userId, value, at: now });
    if (this.last.size > 50_000) for (const [k, v] of this.last) if (now - v.at > this.windowMs) this.last.delete(k);
    if (!previous || previous.userId === userId || now - previous.at > this.windowMs) return null;
    if (same(previous.value, value)) return null;
    if (hasBase && same(base, previous.value)) return null;
    return {
      field,
      replacedUserId: previous.userId,
      replacedValue: previous.value,
      newValue: value,
      at: new Date(now).toISOString(),
    };
  }
}
