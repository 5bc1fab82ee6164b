// Writes a component's row from its document under the row's lock: only from a document state that
// contains the one the row was last written from (snapshots.ts), and with a version bump only when
// the content really differs (PostgreSQL compares it, so the row's large texts never travel back).
import type { Component, Db, Prisma } from '../../models/db.ts';
import { notFound } from '../../utils/errors.ts';
import type { ComponentContent } from '../documents/component-doc.ts';
import { containsSnapshot } from '../documents/snapshots.ts';

export type Tx = Prisma.TransactionClient;

/** The row locked for this transaction: its version and the snapshot it was written from. */
export async function lockComponentRow(
  tx: Tx,
  id: string,
  designSystemId?: string,
): Promise<{ version: number; snapshot: Uint8Array | null }> {
  const rows = await tx.$queryRaw<{ version: number; doc_snapshot: Uint8Array | null }[]>`
    SELECT version, doc_snapshot FROM components
    WHERE id = ${id}::uuid AND (${designSystemId ?? null}::uuid IS NULL OR design_system_id = ${designSystemId ?? null}::uuid)
    FOR UPDATE`;
  const row = rows[0];
  if (!row) throw notFound();
  return { version: row.version, snapshot: row.doc_snapshot };
}

/** A component row as a REST update merges against it. */
export interface MergeBase {
  version: number;
  snapshot: Uint8Array | null;
  content: ComponentContent;
  updatedAt: Date;
}

interface MergeColumns {
  version: number;
  updated_at: Date;
  doc_snapshot: Uint8Array | null;
  name: string;
  category: string;
  status: string;
  code: string;
  documentation: string | null;
  props: Record<string, unknown> | null;
}

/**
 * Reads the content a REST update merges against (the row as REST clients last saw it), locking
 * the row like `lockComponentRow` in the same query when `lock` (a write that must check the
 * version it read, If-Match); without, the write must check the row did not move (`ifUnchanged`).
 */
export async function readMergeBase(tx: Tx, id: string, designSystemId: string, lock: boolean): Promise<MergeBase> {
  const rows = lock
    ? await tx.$queryRaw<MergeColumns[]>`
        SELECT version, updated_at, doc_snapshot, name, category, status, code, documentation, props FROM components
        WHERE id = ${id}::uuid AND design_system_id = ${designSystemId}::uuid
        FOR UPDATE`
    : await tx.$queryRaw<MergeColumns[]>`
        SELECT version, updated_at, doc_snapshot, name, category, status, code, documentation, props FROM components
        WHERE id = ${id}::uuid AND design_system_id = ${designSystemId}::uuid`;
  const row = rows[0];
  if (!row) throw notFound();
  const { name, category, status, code } = row;
  return {
    version: row.version,
    snapshot: row.doc_snapshot,
    content: { name, category, status, code, docs: row.documentation ?? '', props: row.props ?? {} },
    updatedAt: row.updated_at,
  };
}

/** A `components` row as PostgreSQL returns it (`RETURNING components.*`). */
interface ComponentColumns {
  id: string;
  design_system_id: string;
  name: string;
  category: string;
  status: string;
  props: Prisma.JsonValue;
  code: string;
  documentation: string | null;
  version: number;
  doc_snapshot: Uint8Array | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * The row as Prisma would give it. A column added to the model is a type error here; the test in
 * tests/integration/services/components/component-rows.test.ts compares the two readings.
 */
export function componentOf(r: ComponentColumns): Component {
  return {
    id: r.id,
    designSystemId: r.design_system_id,
    name: r.name,
    category: r.category,
    status: r.status,
    props: r.props,
    code: r.code,
    documentation: r.documentation,
    version: r.version,
    docSnapshot: r.doc_snapshot === null ? null : new Uint8Array(r.doc_snapshot),
    createdById: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * A design system's component read with raw SQL (half the CPU of Prisma's query path, on the route
 * every reader hits), mapped by `componentOf`; null when there is none.
 */
export async function findComponentRow(db: Db | Tx, id: string, designSystemId: string): Promise<Component | null> {
  const rows = await db.$queryRaw<ComponentColumns[]>`
    SELECT * FROM components WHERE id = ${id}::uuid AND design_system_id = ${designSystemId}::uuid`;
  return rows[0] ? componentOf(rows[0]) : null;
}

/** How a row write counts its version and what it requires of the row. */
export interface RowWriteOptions {
  /** The version to write (a batch of updates counted its own); else one up when the content changed. */
  version?: number;
  /** Write only if the row is still at this version and snapshot (it was read without a lock). */
  ifUnchanged?: { version: number; snapshot: Uint8Array | null };
}

/**
 * Writes `content` (read from a document state whose snapshot is `snapshot`) into the locked row and
 * answers the row as written (the UPDATE returns it: no read after the write). `stale` when the row
 * was written from a state this one does not contain; `moved` when `ifUnchanged` does not hold.
 */
export async function writeComponentRow(
  tx: Tx,
  id: string,
  locked: { snapshot: Uint8Array | null },
  content: ComponentContent,
  snapshot: Uint8Array,
  options: RowWriteOptions = {},
): Promise<Component | 'stale' | 'moved'> {
  if (!containsSnapshot(snapshot, locked.snapshot)) return 'stale';
  const props = JSON.stringify(content.props);
  const version = options.version ?? null;
  const expected = options.ifUnchanged;
  const rows = await tx.$queryRaw<ComponentColumns[]>`
    UPDATE components SET
      version = COALESCE(${version}::int, components.version + CASE WHEN d.changed THEN 1 ELSE 0 END),
      updated_at = CASE WHEN COALESCE(${version}::int <> components.version, d.changed) THEN now() ELSE components.updated_at END,
      name = ${content.name}, category = ${content.category}, status = ${content.status},
      code = ${content.code}, documentation = ${content.docs}, props = ${props}::jsonb,
      doc_snapshot = ${Buffer.from(snapshot)}
    FROM (
      SELECT (name, category, status, code, COALESCE(documentation, ''), props) IS DISTINCT FROM
        (${content.name}::varchar, ${content.category}::varchar, ${content.status}::varchar, ${content.code}::text, ${content.docs}::text, ${props}::jsonb) AS changed
      FROM components WHERE id = ${id}::uuid
    ) d
    WHERE components.id = ${id}::uuid
      AND (${expected ? 1 : 0}::int = 0 OR (components.version = ${expected?.version ?? 0}::int
        AND components.doc_snapshot IS NOT DISTINCT FROM ${expected?.snapshot ? Buffer.from(expected.snapshot) : null}::bytea))
    RETURNING components.*`;
  const row = rows[0];
  if (!row) {
    if (expected) return 'moved';
    throw notFound();
  }
  return componentOf(row);
}
