// Materialises a tokens document into `design_tokens` rows in one statement per direction, so a
// design system with thousands of tokens costs two queries, not thousands.
import type { Db } from '../../models/db.ts';
import type { TokenMap } from '../tokens/token.types.ts';

/** `colors.brand.primary` → category `colors`, name `brand.primary` (seed 001's columns). */
export function splitPath(path: string): { category: string; name: string } {
  const dot = path.indexOf('.');
  return dot < 0 ? { category: '', name: path } : { category: path.slice(0, dot), name: path.slice(dot + 1) };
}

/** The path of a row. */
export const rowPath = (row: { category: string; name: string }): string => (row.category ? `${row.category}.${row.name}` : row.name);

/** Upserts changed tokens and deletes removed ones; returns the counts. */
export async function syncTokenRows(db: Db, designSystemId: string, tokens: TokenMap): Promise<{ upserted: number; deleted: number }> {
  const rows = [...tokens].map(([path, t]) => ({
    ...splitPath(path),
    type: t.$type ?? null,
    value: t.$value ?? null,
    description: t.$description ?? null,
    extensions: t.$extensions ?? null,
  }));
  const payload = JSON.stringify(rows);
  const upserted = await db.$executeRaw`
    INSERT INTO design_tokens (id, design_system_id, category, name, type, value, description, extensions, updated_at)
    SELECT gen_random_uuid(), ${designSystemId}::uuid, r.category, r.name, r.type, COALESCE(r.value, 'null'::jsonb), r.description, r.extensions, now()
    FROM jsonb_to_recordset(${payload}::jsonb) AS r(category text, name text, type text, value jsonb, description text, extensions jsonb)
    ON CONFLICT (design_system_id, category, name) DO UPDATE
      SET type = EXCLUDED.type, value = EXCLUDED.value, description = EXCLUDED.description, extensions = EXCLUDED.extensions, updated_at = now()
      WHERE design_tokens.type IS DISTINCT FROM EXCLUDED.type OR design_tokens.value IS DISTINCT FROM EXCLUDED.value
         OR design_tokens.description IS DISTINCT FROM EXCLUDED.description OR design_tokens.extensions IS DISTINCT FROM EXCLUDED.extensions`;
  const deleted = await db.$executeRaw`
    DELETE FROM design_tokens d
    WHERE d.design_system_id = ${designSystemId}::uuid
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_to_recordset(${payload}::jsonb) AS r(category text, name text)
        WHERE r.category = d.category AND r.name = d.name)`;
  return { upserted, deleted };
}
