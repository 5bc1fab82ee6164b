// @handles for mentions: derived from a preferred name, unique, lowercase.
import type { Db } from '../../models/db.ts';

/** A handle-shaped version of any string. */
export function handleBase(value: string): string {
  const base = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 30);
  return base || 'user';
}

/** The first free handle starting from `preferred` (`ann`, `ann2`, `ann3`, …). */
export async function uniqueHandle(db: Db, preferred: string): Promise<string> {
  const base = handleBase(preferred);
  const taken = new Set(
    (await db.user.findMany({ where: { handle: { startsWith: base } }, select: { handle: true } })).map(
      (u) => u.handle,
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
