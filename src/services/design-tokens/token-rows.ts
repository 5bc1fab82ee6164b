// Materialises a tokens document into `design_tokens` rows with one statement per ROWS_PER_STATEMENT
// tokens and one for removals, so a design system with thousands of tokens costs a few queries, not
// thousands, and the event loop is free between them (each chunk's JSON is built after the previous
// statement returned). Under the design
// system's row lock, and only from a document state that contains the one the rows were last
// written from (snapshots.ts), so a node that lags behind never writes older tokens.
import type { Db } from '../../models/db.ts';
import type { Tx } from '../components/component-rows.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { tokensDoc } from '../documents/document-names.ts';
import { containsSnapshot, snapshotOf } from '../documents/snapshots.ts';
import { readTokens } from '../documents/tokens-doc.ts';
import type { Token, TokenMap } from '../tokens/token.types.ts';

const STALE_RETRIES = 4;
/** Tokens per upsert: ~3 ms of building JSON on one core, so a 10,000-token write never holds the loop long. */
const ROWS_PER_STATEMENT = 2000;
const STALE_WAIT_MS = 25;

/** Brings a design system's `design_tokens` rows in step with its tokens document. */
export async function materialiseTokens(db: Db, documents: DocumentService, designSystemId: string): Promise<void> {
  const name = tokensDoc(designSystemId);
  await db.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<
        { tokens_snapshot: Uint8Array | null }[]
      >`SELECT tokens_snapshot FROM design_systems WHERE id = ${designSystemId}::uuid FOR UPDATE`;
      if (!locked[0]) return;
      for (let attempt = 0; attempt < STALE_RETRIES; attempt++) {
        await documents.catchUp(name);
        const { tokens, snapshot } = await documents.read(name, null, (doc) => ({
          tokens: readTokens(doc),
          snapshot: snapshotOf(doc),
        }));
        if (containsSnapshot(snapshot, locked[0].tokens_snapshot)) {
          await syncTokenRows(tx, designSystemId, tokens);
          await tx.$executeRaw`UPDATE design_systems SET tokens_snapshot = ${Buffer.from(snapshot)} WHERE id = ${designSystemId}::uuid`;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, STALE_WAIT_MS));
      }
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** `colors.brand.primary` → category `colors`, name `brand.primary` (seed 001's columns). */
export function splitPath(path: string): { category: string; name: string } {
  const dot = path.indexOf('.');
  return dot < 0 ? { category: '', name: path } : { category: path.slice(0, dot), name: path.slice(dot + 1) };
}

/** The path of a row. */
export const rowPath = (row: { category: string; name: string }): string =>
  row.category ? `${row.category}.${row.name}` : row.name;

/** Upserts changed tokens and deletes removed ones; returns the counts. */
export async function syncTokenRows(
  db: Db | Tx,
  designSystemId: string,
  tokens: TokenMap,
): Promise<{ upserted: number; deleted: number }> {
  const entries = [...tokens];
  let upserted = 0;
  for (let start = 0; start < entries.length; start += ROWS_PER_STATEMENT)
    upserted += await upsertRows(db, designSystemId, entries.slice(start, start + ROWS_PER_STATEMENT));
  const keys = JSON.stringify(entries.map(([path]) => splitPath(path)));
  const deleted = await db.$executeRaw`
    DELETE FROM design_tokens d
    WHERE d.design_system_id = ${designSystemId}::uuid
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_to_recordset(${keys}::jsonb) AS r(category text, name text)
        WHERE r.category = d.category AND r.name = d.name)`;
  return { upserted, deleted };
}

/** One INSERT … ON CONFLICT for these tokens; returns how many rows it wrote. */
function upsertRows(db: Db | Tx, designSystemId: string, entries: [string, Token][]) {
  const rows = entries.map(([path, t]) => ({
    ...splitPath(path),
    type: t.$type ?? null,
    value: t.$value ?? null,
    description: t.$description ?? null,
    extensions: t.$extensions ?? null,
    modes: t.modes && Object.keys(t.modes).length > 0 ? t.modes : null,
  }));
  const payload = JSON.stringify(rows);
  return db.$executeRaw`
    INSERT INTO design_tokens (id, design_system_id, category, name, type, value, description, extensions, modes, updated_at)
    SELECT gen_random_uuid(), ${designSystemId}::uuid, r.category, r.name, r.type, COALESCE(r.value, 'null'::jsonb), r.description, r.extensions, r.modes, now()
    FROM jsonb_to_recordset(${payload}::jsonb) AS r(category text, name text, type text, value jsonb, description text, extensions jsonb, modes jsonb)
    ON CONFLICT (design_system_id, category, name) DO UPDATE
      SET type = EXCLUDED.type, value = EXCLUDED.value, description = EXCLUDED.description, extensions = EXCLUDED.extensions, modes = EXCLUDED.modes, updated_at = now()
      WHERE design_tokens.type IS DISTINCT FROM EXCLUDED.type OR design_tokens.value IS DISTINCT FROM EXCLUDED.value
         OR design_tokens.description IS DISTINCT FROM EXCLUDED.description OR design_tokens.extensions IS DISTINCT FROM EXCLUDED.extensions
         OR design_tokens.modes IS DISTINCT FROM EXCLUDED.modes`;
}
