// Opaque cursors for keyset pagination over (createdAt, id), newest or oldest first.
import { AppError } from './errors.ts';

export interface Cursor {
  createdAt: Date;
  id: string;
}

/** Encodes a row's position as an opaque cursor. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

/** Decodes a cursor, or throws `validation_failed` naming `cursor`. */
export function decodeCursor(cursor: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new AppError('validation_failed', undefined, [
      { path: 'query.cursor', code: 'invalid_cursor', message: 'The cursor is not valid' },
    ]);
  }
}

/** A Prisma `where` fragment selecting rows after the cursor in the given order. */
export function afterCursor(cursor: string | undefined, order: 'asc' | 'desc') {
  if (!cursor) return {};
  const { createdAt, id } = decodeCursor(cursor);
  const op = order === 'desc' ? 'lt' : 'gt';
  return { OR: [{ createdAt: { [op]: createdAt } }, { createdAt, id: { [op]: id } }] };
}

/** Splits a page fetched with `limit + 1` rows into items and the next cursor. */
export function page<T extends { createdAt: Date; id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
