// Figma as a source: nodes read for AI generation (cached by file key, node id and file version) and
// variables imported as tokens. Everything is read with the acting user's own Figma token.
import type { Db, Prisma } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';
import type { Actor } from '../actor.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import type { DesignTokenService, ImportSummary } from '../design-tokens/design-tokens.service.ts';
import type { TokenFile } from '../tokens/import/index.ts';
import { splitPath } from '../design-tokens/token-rows.ts';
import type { TokenMap, TokenProblem } from '../tokens/token.types.ts';
import type { FigmaCredentials } from './credentials.service.ts';
import type { FigmaApi } from './figma-api.ts';
import { askFigma } from './figma-errors.ts';
import { parseFigmaUrl, type FigmaLink } from './figma-url.ts';
import type { FigmaNodeEntry } from './figma.types.ts';
import { nodeContext } from './node-context.ts';
import { mapToTokens, type FigmaSpec } from './token-mapping.ts';
import { convertVariables, FIGMA_EXTENSION, toDtcgDocument } from './variables-import.ts';

/** A node as read, and whether the cache answered. */
export interface FetchedNode {
  fileKey: string;
  nodeId: string;
  version: string;
  entry: FigmaNodeEntry;
  cached: boolean;
}

export interface FigmaImportSummary extends ImportSummary {
  figma: {
    fileKey: string;
    collections: number;
    variables: number;
    modes: Record<string, string[]>;
    /** Tokens an earlier import of the file made whose variable was deleted or renamed in Figma. */
    removed: string[];
  };
}

export interface FigmaServiceDeps {
  db: Db;
  credentials: FigmaCredentials;
  designSystems: DesignSystemService;
  tokens: DesignTokenService;
}

/** Figma reads for generation and import. */
export class FigmaService {
  readonly credentials: FigmaCredentials;
  private readonly deps: FigmaServiceDeps;

  constructor(deps: FigmaServiceDeps) {
    this.deps = deps;
    this.credentials = deps.credentials;
  }

  /**
   * The node's entry: the file's current version is read with the user's token each time (which also
   * proves the user may open the file), the nodes only when that version is not cached yet.
   */
  async node(api: FigmaApi, link: FigmaLink): Promise<FetchedNode> {
    const { fileKey, nodeId } = link;
    const meta = await askFigma(() => api.fileMeta(fileKey));
    const key = { fileKey, nodeId, version: meta.version };
    const hit = await this.deps.db.figmaNodeCache.findUnique({ where: { fileKey_nodeId_version: key } });
    if (hit) return { ...key, entry: hit.data as unknown as FigmaNodeEntry, cached: true };
    const answer = await askFigma(() => api.nodes(fileKey, [nodeId]));
    const entry = answer.nodes[nodeId];
    if (!entry)
      throw new AppError(
        'figma_file_not_found',
        `File ${fileKey} has no node ${nodeId}: it was deleted, or the link is of another file`,
      );
    // The nodes answer carries the version it was read at (newer than `meta` if the file just changed).
    const version = answer.version || meta.version;
    const row = { fileKey, nodeId, version, data: entry as unknown as Prisma.InputJsonValue };
    await this.deps.db.$transaction([
      this.deps.db.figmaNodeCache.deleteMany({ where: { fileKey, nodeId, NOT: { version } } }),
      this.deps.db.figmaNodeCache.upsert({
        where: { fileKey_nodeId_version: { fileKey, nodeId, version } },
        create: row,
        update: { data: row.data, fetchedAt: new Date() },
      }),
    ]);
    return { fileKey, nodeId, version, entry, cached: false };
  }

  /** Checks a generation's Figma link while the client waits: its shape, the user's token, the node. */
  async prepare(userId: string, url: string): Promise<FetchedNode> {
    const link = parseFigmaUrl(url);
    return this.node(await this.credentials.apiFor(userId), link);
  }

  /** The structured context of a generation: the node read (or cached) and mapped to `tokens`. */
  async spec(userId: string, url: string, tokens: TokenMap): Promise<FigmaSpec & { cached: boolean }> {
    const fetched = await this.prepare(userId, url);
    const spec = mapToTokens(nodeContext(fetched.nodeId, fetched.entry), tokens, {
      url,
      fileKey: fetched.fileKey,
      version: fetched.version,
    });
    return { ...spec, cached: fetched.cached };
  }

  /** Imports the file's local variables as tokens (all-or-nothing; a re-import updates in place). */
  async importVariables(actor: Actor, dsId: string, fileKey: string): Promise<FigmaImportSummary> {
    await this.deps.designSystems.require(actor, dsId, 'designSystem:write');
    const api = await this.credentials.apiForActor(actor);
    const response = await askFigma(() => api.localVariables(fileKey));
    const converted = convertVariables(response, fileKey);
    if (!converted.tokens.size)
      throw new AppError('unprocessable', `File ${fileKey} has no local variables to import`, converted.warnings);
    // The default modes' values, then one file per other mode: the token import's modes (docs/tokens.md).
    const files: TokenFile[] = [
      { path: `figma-${fileKey}.tokens.json`, content: JSON.stringify(toDtcgDocument(converted.tokens)) },
      ...[...converted.modeTokens].map(([mode, tokens]) => ({
        path: `figma-${fileKey}.${mode}.tokens.json`,
        content: JSON.stringify(toDtcgDocument(tokens)),
        mode,
      })),
    ];
    const summary = await this.deps.tokens.import(actor, dsId, files, { format: 'dtcg' });
    const pruned = await this.pruneGone(actor, dsId, fileKey, converted.tokens);
    return {
      ...summary,
      warnings: [...converted.warnings, ...summary.warnings, ...pruned.warnings],
      figma: {
        fileKey,
        removed: pruned.removed,
        collections: Object.keys(response.meta.variableCollections).length,
        variables: converted.tokens.size,
        modes: converted.modes,
      },
    };
  }

  /**
   * Removes the tokens an earlier import of this file made whose variable is gone from it or now
   * lives at another path (renamed or moved in Figma), as a sync would. A token other tokens still
   * refer to is kept, with a warning naming them: removing it would break their aliases.
   */
  private async pruneGone(actor: Actor, dsId: string, fileKey: string, imported: TokenMap) {
    const removed: string[] = [];
    const warnings: TokenProblem[] = [];
    for (const [path, token] of await this.deps.tokens.tokens(actor, dsId)) {
      const origin = token.$extensions?.[FIGMA_EXTENSION] as { fileKey?: unknown } | undefined;
      if (origin?.fileKey !== fileKey || imported.has(path)) continue;
      const row = await this.deps.db.designToken.findUnique({
        where: { designSystemId_category_name: { designSystemId: dsId, ...splitPath(path) } },
        select: { id: true },
      });
      if (!row) continue;
      try {
        await this.deps.tokens.remove(actor, dsId, row.id);
        removed.push(path);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'conflict')) throw err;
        const referrers = (err.details as { path: string }[] | undefined)?.map((d) => d.path).join(', ');
        warnings.push({
          path,
          code: 'referenced',
          message: `Its Figma variable is no longer in file ${fileKey}, but ${referrers} refer to it; kept`,
        });
      }
    }
    return { removed, warnings };
  }
}
