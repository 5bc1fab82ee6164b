// Import on push: GitHub's `push` webhook for the connected base branch. The delivery is verified
// against each connection of the repository (X-Hub-Signature-256 over the raw body), the token files
// the push changed are fetched at the pushed commit (contents API, blobs API past 1 MB) and merged into
// the live tokens document as one transaction, three-way against the sync base: a token changed on
// both sides since the last sync is reported (activity + `github-sync-conflict`) and left as it is.
import type { Prisma } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { tokensDoc } from '../documents/document-names.ts';
import { deleteToken, readTokens, writeGroups, writeToken } from '../documents/tokens-doc.ts';
import { referencesIn } from '../tokens/aliases.ts';
import { importTokenFiles } from '../tokens/import/index.ts';
import type { GroupMap, Token, TokenMap } from '../tokens/token.types.ts';
import { GithubError, repoPath, segments, type GithubApi } from './github-api.ts';
import { githubAppError } from './github-errors.ts';
import type { GithubConnection, GithubSyncDeps, GithubSyncService } from './github.service.ts';
import { isTokenFile, setForFile, tokenFileFor, withSet } from './repo-files.ts';
import { planMerge, type MergePlan, type SyncBase, type SyncConflict } from './sync-merge.ts';
import { verifySignature } from './webhook-signature.ts';

/** The parts of a push payload the import reads (zod-validated by the route). */
export interface PushPayload {
  ref?: string | undefined;
  before?: string | undefined;
  after?: string | undefined;
  deleted?: boolean | undefined;
  repository?: { full_name: string } | undefined;
  commits?:
    | { added?: string[] | undefined; modified?: string[] | undefined; removed?: string[] | undefined }[]
    | undefined;
}

export interface Delivery {
  event: string;
  signature: string | undefined;
  raw: Buffer;
  payload: PushPayload;
}

export interface SyncOutcome {
  designSystemId: string;
  status: 'imported' | 'ignored';
  reason?: string;
  commit?: string;
  files?: string[];
  created?: number;
  updated?: number;
  deleted?: number;
  conflicts?: SyncConflict[];
}

/** GitHub lists at most this many commits in a push payload; past it the tree is read instead. */
const LISTED_COMMITS = 20;

/** Handles webhook deliveries for every connection. */
export class GithubImport {
  private readonly deps: GithubSyncDeps;
  private readonly sync: GithubSyncService;

  constructor(deps: GithubSyncDeps, sync: GithubSyncService) {
    this.deps = deps;
    this.sync = sync;
  }

  /** Verifies and handles one delivery; `ignored` outcomes are answered 202. */
  async receive(delivery: Delivery): Promise<{ accepted: boolean; results: SyncOutcome[] }> {
    const fullName = delivery.payload.repository?.full_name;
    const connections = fullName
      ? await this.deps.db.githubConnection.findMany({ where: { repoKey: fullName.toLowerCase() } })
      : [];
    if (!connections.length) throw notFound('No design system is connected to this repository');
    const verified = connections.filter((c) =>
      verifySignature(this.sync.webhookSecret(c), delivery.raw, delivery.signature),
    );
    if (!verified.length) throw new AppError('invalid_webhook_signature');
    if (delivery.event !== 'push') {
      return {
        accepted: false,
        results: verified.map((c) => ({
          designSystemId: c.designSystemId,
          status: 'ignored',
          reason: `${delivery.event} events are not imported`,
        })),
      };
    }
    const results: SyncOutcome[] = [];
    for (const connection of verified) results.push(await this.importPush(connection, delivery.payload));
    return { accepted: results.some((r) => r.status === 'imported'), results };
  }

  private async importPush(connection: GithubConnection, push: PushPayload): Promise<SyncOutcome> {
    const ignored = (reason: string): SyncOutcome => ({
      designSystemId: connection.designSystemId,
      status: 'ignored',
      reason,
    });
    if (push.ref !== `refs/heads/${connection.baseBranch}`) return ignored(`not a push to ${connection.baseBranch}`);
    if (push.deleted || !push.after || /^0+$/.test(push.after)) return ignored('the branch was deleted');
    if (push.after === connection.lastSyncedSha) return ignored('this commit was imported already');
    const base = connection.syncBase as unknown as SyncBase;
    const api = await this.sync.api(connection);
    const changed = await this.changedFiles(api, connection, push, base);
    if (!changed.size) return ignored('no token files changed');

    const fetched = await this.fetchFiles(api, connection, push.after, changed);
    const dsId = connection.designSystemId;
    const name = tokensDoc(dsId);
    const existing = await this.deps.documents.read(name, null, readTokens);
    const { repository, groups } = this.parse(connection, fetched, existing);
    const fileOf = (token: Token) => tokenFileFor(token, connection);
    const applied = await this.deps.documents.transact(name, null, (doc) => {
      // Planned inside the transaction: no live edit can slip in between reading and writing.
      const plan = planMerge({ base, ensemble: readTokens(doc), repository, changedFiles: changed, fileOf });
      holdReferencedDeletes(plan, readTokens(doc), base, fileOf);
      const counts = { created: 0, updated: 0, deleted: 0 };
      for (const [path, token] of plan.writes) {
        const result = writeToken(doc, path, token);
        if (result !== 'unchanged') counts[result]++;
      }
      for (const path of plan.deletes) if (deleteToken(doc, path)) counts.deleted++;
      if (groups.size) writeGroups(doc, groups);
      return { plan, counts };
    });
    const { plan, counts } = applied.result;
    await this.deps.db.githubConnection.update({
      where: { designSystemId: dsId },
      data: {
        syncBase: plan.nextBase as unknown as Prisma.InputJsonValue,
        lastSyncedSha: push.after,
        lastSyncedAt: new Date(),
      },
    });
    await this.deps.materialiser.run(name);
    const ds = await this.deps.db.designSystem.findUniqueOrThrow({ where: { id: dsId }, select: { teamId: true } });
    const system = { userId: null };
    if (counts.created + counts.updated + counts.deleted > 0) {
      this.deps.events.publish(
        'tokens.updated',
        { teamId: ds.teamId, designSystemId: dsId, ...counts, source: 'import' },
        system,
      );
    }
    if (plan.conflicts.length) {
      const repo = `${connection.owner}/${connection.repo}`;
      this.deps.events.publish(
        'github.syncConflict',
        { teamId: ds.teamId, designSystemId: dsId, repository: repo, commit: push.after, conflicts: plan.conflicts },
        system,
      );
    }
    return {
      designSystemId: dsId,
      status: 'imported',
      commit: push.after,
      files: [...changed],
      ...counts,
      conflicts: plan.conflicts,
    };
  }

  /** Token files the push added, changed or removed (the whole tree when the payload cannot say). */
  private async changedFiles(
    api: GithubApi,
    connection: GithubConnection,
    push: PushPayload,
    base: SyncBase,
  ): Promise<Set<string>> {
    const commits = push.commits ?? [];
    if (commits.length < LISTED_COMMITS) {
      const paths = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
      return new Set(paths.filter((p) => isTokenFile(p, connection)));
    }
    const tree = await api.request<{ tree: { path: string; type: string }[] }>(
      'GET',
      `${repoPath(connection.owner, connection.repo)}/git/trees/${push.after}?recursive=1`,
      'listing the pushed tree',
    );
    const files = new Set(
      tree.tree.filter((e) => e.type === 'blob' && isTokenFile(e.path, connection)).map((e) => e.path),
    );
    for (const token of Object.values(base)) files.add(tokenFileFor(token, connection));
    return files;
  }

  /** Path → content at the pushed commit; null for a file the push removed. */
  private async fetchFiles(
    api: GithubApi,
    connection: GithubConnection,
    sha: string,
    paths: Set<string>,
  ): Promise<Map<string, string | null>> {
    const base = repoPath(connection.owner, connection.repo);
    const out = new Map<string, string | null>();
    for (const path of paths) {
      try {
        const file = await api.request<{ type: string; encoding: string; content: string; sha: string }>(
          'GET',
          `${base}/contents/${segments(path)}?ref=${sha}`,
          `reading ${path}`,
        );
        // Past 1 MB the contents API leaves the content out: the blob has it.
        const content =
          file.encoding === 'base64' && file.content
            ? file.content
            : (
                await api.request<{ content: string }>(
                  'GET',
                  `${base}/git/blobs/${file.sha}`,
                  `reading the blob of ${path}`,
                )
              ).content;
        out.set(path, Buffer.from(content, 'base64').toString('utf8'));
      } catch (err) {
        if (err instanceof GithubError && err.failure === 'not_found') out.set(path, null);
        else throw githubAppError(err);
      }
    }
    return out;
  }

  /** Reads the fetched files as DTCG; problems refuse the whole import (nothing is written). */
  private parse(connection: GithubConnection, fetched: Map<string, string | null>, existing: TokenMap) {
    const repository = new Map<string, { token: Token; file: string }>();
    const groups: GroupMap = new Map();
    const known: TokenMap = new Map(existing);
    const problems = [];
    for (const [file, content] of fetched) {
      if (content === null) continue;
      const result = importTokenFiles([{ path: file, content }], { format: 'dtcg', existing: known });
      problems.push(...result.problems.map((p) => ({ ...p, file })));
      const set = setForFile(file, connection);
      for (const [path, token] of result.tokens) {
        const withFile = withSet(token, set);
        repository.set(path, { token: withFile, file });
        known.set(path, withFile);
      }
      for (const [path, meta] of result.groups) groups.set(path, meta);
    }
    if (problems.length)
      throw new AppError(
        'invalid_tokens',
        `${problems.length} problem(s) in the pushed token files; nothing was imported`,
        problems,
      );
    return { repository, groups };
  }
}

/** A repository deletion of a token that a remaining token still refers to becomes a conflict. */
function holdReferencedDeletes(
  plan: MergePlan,
  current: TokenMap,
  base: SyncBase,
  fileOf: (token: Token) => string,
): void {
  const gone = new Set(plan.deletes);
  const after = new Map(current);
  for (const [path, token] of plan.writes) after.set(path, token);
  const used = new Set<string>();
  for (const [path, token] of after) if (!gone.has(path)) for (const ref of referencesIn(token.$value)) used.add(ref);
  plan.deletes = plan.deletes.filter((path) => {
    if (!used.has(path)) return true;
    const was = base[path] ?? null;
    plan.conflicts.push({
      path,
      file: was ? fileOf(was) : '',
      base: was,
      ensemble: current.get(path) ?? null,
      repository: null,
    });
    if (was) plan.nextBase[path] = was;
    return false;
  });
}
