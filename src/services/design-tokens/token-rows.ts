// Materialises a tokens document into `design_tokens` rows in one statement per direction, so a
// design system with thousands of tokens costs two queries, not thousands. Under the design
// system's row lock, and only from a document state that contains the one the rows were last
// written from (snapshots.ts), so a node that lags behind never writes older tokens.
import type { Db } from '../../models/db.ts';
import type { Tx } from '../components/component-rows.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { tokensDoc } from '../documents/document-names.ts';
import { containsSnapshot, snapshotOf } from '../documents/snapshots.ts';
import { readTokens } from '../documents/tokens-doc.ts';
import type { TokenMap } from '../tokens/token.types.ts';

const STALE_RETRIES = 4;
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
  const rows = [...tokens].map(([path, t]) => ({
    ...splitPath(path),
    type: t.$type ?? null,
    value: t.$value ?? null,
    description: t.$description ?? null,
    extensions: t.$extensions ?? null,
    modes: t.modes && Object.keys(t.modes).length > 0 ? t.modes : null,
  }));
  const payload = JSON.stringify(rows);
  const upserted = await db.$executeRaw`
    INSERT INTO design_tokens (id, design_system_id, category, name, type, value, description, extensions, modes, updated_at)
    SELECT gen_random_uuid(), ${designSystemId}::uuid, r.category, r.name, r.type, COALESCE(r.value, 'null'::jsonb), r.description, r.extensions, r.modes, now()
    FROM jsonb_to_recordset(${payload}::jsonb) AS r(category text, name text, type text, value jsonb, description text, extensions jsonb, modes jsonb)
    ON CONFLICT (design_system_id, category, name) DO UPDATE
      SET type = EXCLUDED.type, value = EXCLUDED.value, description = EXCLUDED.description, extensions = EXCLUDED.extensions, modes = EXCLUDED.modes, updated_at = now()
      WHERE design_tokens.type IS DISTINCT FROM EXCLUDED.type OR design_tokens.value IS DISTINCT FROM EXCLUDED.value
         OR design_tokens.description IS DISTINCT FROM EXCLUDED.description OR design_tokens.extensions IS DISTINCT FROM EXCLUDED.extensions
         OR design_tokens.modes IS DISTINCT FROM EXCLUDED.modes`;
  const deleted = await db.$executeRaw`
    DELETE FROM design_tokens d
    WHERE d.design_system_id = ${designSystemId}::uuid
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_to_recordset(${payload}::jsonb) AS r(category text, name text)
        WHERE r.category = d.category AND r.name = d.name)`;
  return { upserted, deleted };
}
