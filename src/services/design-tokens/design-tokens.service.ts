// Design tokens of a design system: CRUD on single tokens, bulk import (files, multipart, URL) and
// export (token-exports.ts). The tokens document is the source of truth; `design_tokens` rows are its
// materialisation.
import * as Y from 'yjs';
import type { Db, DesignToken } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { guardedFetch, type OutboundPolicy } from '../../utils/net-guard.ts';
import type { Actor } from '../actor.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { tokensDoc } from '../documents/document-names.ts';
import type { Materialiser } from '../documents/materialiser.ts';
import { deleteToken, readTokens, writeToken } from '../documents/tokens-doc.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { mergeModes, tokenReferences } from '../tokens/modes.ts';
import { TokenExports } from './token-exports.ts';
import { TokenModes } from './token-modes.ts';
import type { ExportOptions } from '../tokens/export/index.ts';
import type { ImportOptions, TokenFile } from '../tokens/import/index.ts';
import type { ImportDelta } from '../tokens/worker/import-update.ts';
import { TokenWork } from '../tokens/worker/token-work.ts';
import type { ExportFormat, Token, TokenMap, TokenProblem } from '../tokens/token.types.ts';
import { nameProblems } from '../tokens/name-collisions.ts';
import { validateTokens } from '../tokens/validate.ts';
import type { Conflict, ConflictTracker } from '../realtime/conflicts.ts';
import { authorId } from '../actor.ts';
import { rowPath, splitPath } from './token-rows.ts';

export interface TokenListQuery {
  category?: string | undefined;
  type?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface ImportSummary {
  format: string;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  themes: number;
  /** The modes the imported tokens have values in. */
  modes: string[];
  /** Accepted, but worth a look (names that collide on some platforms, whose export is then refused). */
  warnings: TokenProblem[];
}

export interface UrlImportLimits {
  maxBytes: number;
  timeoutMs: number;
  policy: OutboundPolicy;
}

function decodePathCursor(cursor: string): string {
  const path = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!path)
    throw new AppError('validation_failed', undefined, [
      { path: 'query.cursor', code: 'invalid_cursor', message: 'The cursor is not valid' },
    ]);
  return path;
}

const invalid = (problems: TokenProblem[]) =>
  new AppError('invalid_tokens', `${problems.length} problem(s) found; nothing was written`, problems);

/** Token CRUD, import and export for design systems. */
export class DesignTokenService {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly documents: DocumentService;
  private readonly materialiser: Materialiser;
  private readonly designSystems: DesignSystemService;
  private readonly urlLimits: UrlImportLimits;
  private readonly conflicts: ConflictTracker;
  /** Export files, cached by the tokens document's state. */
  private readonly exports: TokenExports;
  /** Parsing, validation and Style Dictionary builds, on worker threads when large (tokens/worker). */
  readonly work: TokenWork;
  /** The design system's modes and their fallbacks. */
  readonly modes: TokenModes;

  constructor(
    db: Db,
    events: EventBus,
    documents: DocumentService,
    materialiser: Materialiser,
    designSystems: DesignSystemService,
    urlLimits: UrlImportLimits,
    conflicts: ConflictTracker,
    work = TokenWork.inline(),
  ) {
    this.work = work;
    this.modes = new TokenModes(documents, designSystems);
    this.exports = new TokenExports(documents, designSystems, work);
    this.conflicts = conflicts;
    this.db = db;
    this.events = events;
    this.documents = documents;
    this.materialiser = materialiser;
    this.designSystems = designSystems;
    this.urlLimits = urlLimits;
  }

  /** Materialised tokens, filtered and paginated in path order. */
  async list(actor: Actor, dsId: string, query: TokenListQuery) {
    await this.designSystems.require(actor, dsId, 'designSystem:read');
    await this.materialiser.flush(tokensDoc(dsId));
    const after = query.cursor ? splitPath(decodePathCursor(query.cursor)) : null;
    const rows = await this.db.designToken.findMany({
      where: {
        designSystemId: dsId,
        ...(query.category ? { category: query.category } : {}),
        ...(query.type ? { type: query.type } : {}),
        ...(query.q ? { name: { contains: query.q, mode: 'insensitive' } } : {}),
        ...(after
          ? { OR: [{ category: { gt: after.category } }, { category: after.category, name: { gt: after.name } }] }
          : {}),
      },
      orderBy: [{ category: 'asc' }, { name: 'asc' }],
      take: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > query.limit && last ? Buffer.from(rowPath(last)).toString('base64url') : null,
    };
  }

  /** Creates one token after validating its name, value and aliases. */
  async create(actor: Actor, dsId: string, path: string, token: Token): Promise<DesignToken> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    const name = tokensDoc(dsId);
    const existing = await this.documents.read(name, actor, readTokens);
    if (existing.has(path)) throw new AppError('conflict', `A token already exists at ${path}`);
    const problems = [
      ...validateTokens(new Map([[path, token]]), existing),
      ...nameProblems([...existing.keys(), path], 'css', { concerned: new Set([path]) }),
    ];
    if (problems.length) throw invalid(problems);
    await this.documents.transact(name, actor, (doc) => writeToken(doc, path, token));
    const row = await this.rowAfterWrite(dsId, path);
    this.events.publish(
      'tokens.updated',
      {
        teamId: ds.teamId,
        designSystemId: dsId,
        created: 1,
        updated: 0,
        deleted: 0,
        source: 'api',
        tokenId: row.id,
        path,
        changes: token,
      },
      eventActor(actor),
    );
    return row;
  }

  /**
   * Updates a token and reports which other users' recent values of the same fields it replaced
   * (`base` holds the values the writer last saw).
   */
  async updateWithConflicts(
    actor: Actor,
    dsId: string,
    tokenId: string,
    changes: Partial<Token>,
    base?: Record<string, unknown>,
  ): Promise<{ row: DesignToken; conflicts: Conflict[] }> {
    const row = await this.update(actor, dsId, tokenId, changes);
    const userId = authorId(actor) ?? 'unknown';
    const conflicts = Object.entries(changes)
      .map(([field, value]) =>
        this.conflicts.record(
          `${dsId}|${tokenId}`,
          field,
          userId,
          value,
          base?.[field],
          base !== undefined && field in base,
        ),
      )
      .filter((c): c is Conflict => c !== null);
    // The users whose recent values were replaced are told, on their own sockets.
    for (const conflict of conflicts) {
      const conflictData = {
        field: conflict.field,
        yourValue: conflict.replacedValue,
        newValue: conflict.newValue,
        by: userId,
        at: conflict.at,
      };
      this.events.publish(
        'conflict.detected',
        { userId: conflict.replacedUserId, resourceId: tokenId, conflictData },
        eventActor(actor),
      );
    }
    return { row, conflicts };
  }

  /**
   * Applies a live Yjs update of the tokens document sent as seed 001's token-update; the room hears
   * of it once, through the event bus.
   */
  async applyLiveUpdate(
    actor: Actor,
    dsId: string,
    tokenId: string,
    update: Uint8Array,
    connectionId?: string,
  ): Promise<void> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:read');
    await this.documents.applyUpdate(tokensDoc(dsId), update, {
      actor,
      source: 'socket',
      ...(connectionId ? { connectionId } : {}),
    });
    this.events.publish(
      'tokens.liveEdited',
      { teamId: ds.teamId, designSystemId: dsId, tokenId, update, ...(connectionId ? { connectionId } : {}) },
      eventActor(actor),
    );
  }

  /** Updates one token's fields (a `$value` of an alias keeps working as an alias). */
  async update(actor: Actor, dsId: string, tokenId: string, changes: Partial<Token>): Promise<DesignToken> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    const path = rowPath(await this.row(dsId, tokenId));
    const name = tokensDoc(dsId);
    const existing = await this.documents.read(name, actor, readTokens);
    const current = existing.get(path);
    if (!current) throw notFound();
    const next: Token = { ...current, ...changes };
    for (const key of Object.keys(next) as (keyof Token)[]) if (next[key] === null) delete next[key];
    if (changes.modes) next.modes = mergeModes(current.modes, changes.modes);
    if (next.modes && Object.keys(next.modes).length === 0) delete next.modes;
    const others = new Map(existing);
    others.delete(path);
    const problems = validateTokens(new Map([[path, next]]), others);
    if (problems.length) throw invalid(problems);
    await this.documents.transact(name, actor, (doc) => writeToken(doc, path, next));
    const row = await this.rowAfterWrite(dsId, path);
    this.events.publish(
      'tokens.updated',
      {
        teamId: ds.teamId,
        designSystemId: dsId,
        created: 0,
        updated: 1,
        deleted: 0,
        source: 'api',
        tokenId,
        path,
        changes,
      },
      eventActor(actor),
    );
    return row;
  }

  /** Deletes one token unless other tokens still point at it. */
  async remove(actor: Actor, dsId: string, tokenId: string): Promise<void> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    const path = rowPath(await this.row(dsId, tokenId));
    const name = tokensDoc(dsId);
    const tokens = await this.documents.read(name, actor, readTokens);
    const referrers = [...tokens].filter(([p, t]) => p !== path && tokenReferences(t).includes(path)).map(([p]) => p);
    if (referrers.length) {
      throw new AppError(
        'conflict',
        `Other tokens refer to ${path}`,
        referrers.map((p) => ({ path: p, code: 'referenced', message: `${p} refers to ${path}` })),
      );
    }
    await this.documents.transact(name, actor, (doc) => deleteToken(doc, path));
    await this.materialiser.run(name);
    this.events.publish(
      'tokens.updated',
      {
        teamId: ds.teamId,
        designSystemId: dsId,
        created: 0,
        updated: 0,
        deleted: 1,
        source: 'api',
        tokenId,
        path,
        changes: null,
      },
      eventActor(actor),
    );
  }

  /**
   * Imports token files into the design system; all-or-nothing, every problem reported. The import is
   * read and written into a copy of the tokens document (on a worker thread when large), and the live
   * copy integrates the result in parts (DocumentService.applyInParts). Should the document change
   * meanwhile, the import is built once more on the new state; should it change again, the second
   * build is integrated as a concurrent edit.
   */
  async import(
    actor: Actor,
    dsId: string,
    files: TokenFile[],
    options: Omit<ImportOptions, 'existing'> = {},
  ): Promise<ImportSummary> {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    const name = tokensDoc(dsId);
    let delta: ImportDelta;
    for (let attempt = 0; ; attempt++) {
      await this.documents.catchUp(name);
      const basis = await this.documents.read(name, actor, (doc) => ({
        state: Y.encodeStateAsUpdate(doc),
        snapshot: Y.encodeSnapshot(Y.snapshot(doc)),
      }));
      delta = await this.work.import(files, options, basis.state);
      if (delta.problems.length) throw invalid(delta.problems);
      if (!delta.update) break;
      const change = { parts: delta.parts, update: delta.update };
      if (await this.documents.applyInParts(name, actor, change, attempt === 0 ? basis.snapshot : undefined)) break;
    }
    await this.materialiser.run(name);
    this.events.publish(
      'tokens.updated',
      {
        teamId: ds.teamId,
        designSystemId: dsId,
        created: delta.counts.created,
        updated: delta.counts.updated,
        deleted: 0,
        source: 'import',
      },
      eventActor(actor),
    );
    return {
      format: delta.format,
      total: delta.total,
      ...delta.counts,
      themes: delta.themes,
      modes: delta.modes,
      warnings: delta.warnings,
    };
  }

  /** Fetches a token file from a URL (size- and time-limited, public addresses only) and imports it. */
  async importUrl(
    actor: Actor,
    dsId: string,
    url: string,
    options: Omit<ImportOptions, 'existing'> = {},
  ): Promise<ImportSummary> {
    await this.designSystems.require(actor, dsId, 'designSystem:write');
    const { maxBytes, timeoutMs, policy } = this.urlLimits;
    const res = await guardedFetch(url, policy, { maxBytes, timeoutMs, headers: { Accept: 'application/json' } });
    if (res.status < 200 || res.status >= 300)
      throw new AppError('unprocessable', `Fetching the URL answered ${res.status}`);
    const path = new URL(url).pathname.split('/').pop() || 'tokens.json';
    return this.import(actor, dsId, [{ path, content: res.body.toString('utf8') }], options);
  }

  /** Builds an export file of the design system's tokens (token-exports.ts). */
  export(actor: Actor, dsId: string, format: ExportFormat, options: Omit<ExportOptions, 'themes' | 'groups'>) {
    return this.exports.export(actor, dsId, format, options);
  }

  /** The whole token map (for exports and publishing). */
  tokens(actor: Actor, dsId: string): Promise<TokenMap> {
    return this.documents.read(tokensDoc(dsId), actor, readTokens);
  }

  private async row(dsId: string, tokenId: string): Promise<DesignToken> {
    await this.materialiser.flush(tokensDoc(dsId));
    const row = await this.db.designToken.findFirst({ where: { id: tokenId, designSystemId: dsId } });
    if (!row) throw notFound();
    return row;
  }

  private async rowAfterWrite(dsId: string, path: string): Promise<DesignToken> {
    await this.materialiser.run(tokensDoc(dsId));
    return this.db.designToken.findUniqueOrThrow({
      where: { designSystemId_category_name: { designSystemId: dsId, ...splitPath(path) } },
    });
  }
}
