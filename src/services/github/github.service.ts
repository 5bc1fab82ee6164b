// GitHub sync of a design system: one connected repository per design system (its token sealed, its
// webhook secret generated at connect and shown once), and the `github.push` job that writes tokens
// and components to a branch and opens the pull request. Importing pushes back is github-import.ts.
import { randomBytes } from 'node:crypto';
import type { Db, Prisma } from '../../models/db.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import type { SecretBox } from '../../utils/secret-box.ts';
import type { JobContext } from '../../workers/jobs.ts';
import { authorId, type Actor } from '../actor.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import { onBranch } from '../branches/branch-docs.ts';
import type { BranchService } from '../branches/branches.service.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { tokensDoc } from '../documents/document-names.ts';
import type { Materialiser } from '../documents/materialiser.ts';
import { readComponent } from '../documents/component-doc.ts';
import { readGroups, readTokens } from '../documents/tokens-doc.ts';
import { PermanentJobError, type JobService } from '../jobs/jobs.service.ts';
import { authorize } from '../policy.ts';
import type { EventBus } from '../events/bus.ts';
import { GithubApi, GithubError, repoPath, type GithubApiSettings } from './github-api.ts';
import type { GithubAppAuth } from './github-app.ts';
import { githubAppError } from './github-errors.ts';
import { GithubImport } from './github-import.ts';
import { pushFiles } from './git-push.ts';
import { componentFiles, isManaged, tokenFiles, type RepoLayout } from './repo-files.ts';

/** A `github_connections` row (derived from the client: src/models/db.ts is shared with other work). */
export type GithubConnection = NonNullable<Awaited<ReturnType<Db['githubConnection']['findUnique']>>>;

export interface ConnectInput {
  owner: string;
  repo: string;
  /** A token, or an installation of the server's GitHub App; leave both out to keep what is stored. */
  token?: string | undefined;
  installationId?: number | undefined;
  baseBranch?: string | undefined;
  tokensPath?: string | undefined;
  componentsPath?: string | undefined;
  /** Generates a new webhook secret (shown once in the answer). */
  rotateWebhookSecret?: boolean | undefined;
}

export interface PushInput {
  branch?: string | undefined;
  /** A design-system branch (name or id): its documents are pushed, by default to a same-named git branch. */
  from?: string | undefined;
  title?: string | undefined;
  body?: string | undefined;
}

export interface GithubSyncDeps {
  db: Db;
  box: SecretBox;
  events: EventBus;
  jobs: JobService;
  designSystems: DesignSystemService;
  documents: DocumentService;
  materialiser: Materialiser;
  authenticator: Authenticator;
  branches: BranchService;
  api: GithubApiSettings;
  /** The server's GitHub App, when GITHUB_APP_ID is set. */
  app?: GithubAppAuth | undefined;
}

/** How a connection reaches GitHub: a sealed personal token, or an App installation. */
type Credential = { kind: 'token'; token: string } | { kind: 'app'; installationId: string };

/** The connection as clients see it: never the token nor the webhook secret. */
export function presentConnection(c: GithubConnection) {
  return {
    designSystemId: c.designSystemId,
    owner: c.owner,
    repo: c.repo,
    baseBranch: c.baseBranch,
    tokensPath: c.tokensPath,
    componentsPath: c.componentsPath,
    hasToken: c.tokenEncrypted !== '',
    /** `token` or `app` (then `installationId` names the GitHub App installation). */
    auth: c.installationId === null ? 'token' : 'app',
    installationId: c.installationId === null ? null : Number(c.installationId),
    lastSyncedSha: c.lastSyncedSha,
    lastSyncedAt: c.lastSyncedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** `ensemble/<date>-<short id>`: the branch a push goes to when none is named. */
export function generatedBranch(now = new Date()): string {
  return `ensemble/${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
}

/** Connections, pushes and their pull requests. */
export class GithubSyncService {
  private readonly deps: GithubSyncDeps;
  /** Import on push (the webhook). */
  readonly imports: GithubImport;

  constructor(deps: GithubSyncDeps) {
    this.deps = deps;
    this.imports = new GithubImport(deps, this);
  }

  /** The API client of a connection: its token, or a token of its App installation. */
  async api(connection: GithubConnection): Promise<GithubApi> {
    if (connection.installationId === null)
      return new GithubApi(this.deps.api, this.deps.box.open(connection.tokenEncrypted));
    return this.requireApp().client(String(connection.installationId));
  }

  private requireApp(): GithubAppAuth {
    if (!this.deps.app)
      throw new AppError('not_configured', 'No GitHub App is configured (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY)');
    return this.deps.app;
  }

  /** The credential a connect asks for, or the stored one when it names none for the same repository. */
  private credentialOf(input: ConnectInput, existing: GithubConnection | null, sameRepo: boolean): Credential {
    if (input.installationId !== undefined) return { kind: 'app', installationId: String(input.installationId) };
    if (input.token) return { kind: 'token', token: input.token };
    if (existing && sameRepo) {
      return existing.installationId === null
        ? { kind: 'token', token: this.deps.box.open(existing.tokenEncrypted) }
        : { kind: 'app', installationId: String(existing.installationId) };
    }
    throw new AppError('validation_failed', undefined, [
      { path: 'token', code: 'required', message: 'A token or an installationId is needed to connect a repository' },
    ]);
  }

  /** The client of a credential, checked: an installation must grant Contents and Pull requests write. */
  private async checkedClient(credential: Credential): Promise<GithubApi> {
    if (credential.kind === 'token') return new GithubApi(this.deps.api, credential.token);
    const app = this.requireApp();
    const grant = await app.grant(credential.installationId, true).catch((err: unknown) => {
      throw githubAppError(err);
    });
    const missing = ['contents', 'pull_requests'].filter((p) => grant.permissions[p] !== 'write');
    if (missing.length)
      throw new AppError(
        'github_token_rejected',
        `The GitHub App installation lacks write access to ${missing.join(' and ')}: grant Contents and Pull requests (read and write)`,
      );
    return app.client(credential.installationId);
  }

  /** The webhook secret of a connection (for verifying deliveries). */
  webhookSecret(connection: GithubConnection): string {
    return this.deps.box.open(connection.webhookSecretEncrypted);
  }

  /** Connects or reconfigures the repository (admins); the webhook secret is returned when new. */
  async connect(actor: Actor, dsId: string, input: ConnectInput) {
    const ds = await this.deps.designSystems.require(actor, dsId, 'designSystem:read');
    authorize(actor, 'webhook:manage', ds);
    const existing = await this.deps.db.githubConnection.findUnique({ where: { designSystemId: dsId } });
    const sameRepo =
      existing &&
      existing.owner.toLowerCase() === input.owner.toLowerCase() &&
      existing.repo.toLowerCase() === input.repo.toLowerCase();
    const credential = this.credentialOf(input, existing, Boolean(sameRepo));
    // Checked now, so a wrong token or name is told at once rather than at the first push.
    const repo = await (await this.checkedClient(credential))
      .request<{ default_branch: string; full_name: string; permissions?: { push?: boolean } }>(
        'GET',
        repoPath(input.owner, input.repo),
        `reading ${input.owner}/${input.repo}`,
      )
      .catch((err: unknown) => {
        throw githubAppError(err);
      });
    if (repo.permissions && repo.permissions.push === false)
      throw new AppError(
        'github_token_rejected',
        `The token cannot write to ${repo.full_name}: it needs Contents and Pull requests write access`,
      );
    const secret = !existing || input.rotateWebhookSecret ? randomBytes(32).toString('hex') : null;
    const fields = {
      owner: input.owner,
      repo: input.repo,
      repoKey: `${input.owner}/${input.repo}`.toLowerCase(),
      baseBranch: input.baseBranch ?? (sameRepo ? existing.baseBranch : repo.default_branch),
      tokensPath: input.tokensPath ?? existing?.tokensPath ?? 'tokens',
      componentsPath: input.componentsPath ?? existing?.componentsPath ?? 'components',
      tokenEncrypted: credential.kind === 'token' ? this.deps.box.seal(credential.token) : '',
      installationId: credential.kind === 'app' ? BigInt(credential.installationId) : null,
      ...(secret ? { webhookSecretEncrypted: this.deps.box.seal(secret) } : {}),
    };
    // A new repository starts its sync base from what Ensemble has now: the repository wins for the
    // tokens Ensemble has not changed since, and a token changed on both sides is a conflict.
    const base = sameRepo
      ? null
      : await this.deps.documents.read(tokensDoc(dsId), actor, (doc) => Object.fromEntries(readTokens(doc)));
    const resetSync = base
      ? { syncBase: base as unknown as Prisma.InputJsonValue, lastSyncedSha: null, lastSyncedAt: null }
      : {};
    const connection = existing
      ? await this.deps.db.githubConnection.update({
          where: { designSystemId: dsId },
          data: { ...fields, ...resetSync },
        })
      : await this.deps.db.githubConnection.create({
          data: {
            designSystemId: dsId,
            ...fields,
            webhookSecretEncrypted: fields.webhookSecretEncrypted as string,
            syncBase: (base ?? {}) as unknown as Prisma.InputJsonValue,
            createdById: authorId(actor),
          },
        });
    return { connection, created: !existing, webhookSecret: secret };
  }

  /** The connection (admins), without its secrets. */
  async get(actor: Actor, dsId: string): Promise<GithubConnection> {
    const ds = await this.deps.designSystems.require(actor, dsId, 'designSystem:read');
    authorize(actor, 'webhook:manage', ds);
    const connection = await this.deps.db.githubConnection.findUnique({ where: { designSystemId: dsId } });
    if (!connection) throw notFound('The design system is not connected to a GitHub repository');
    return connection;
  }

  /** Disconnects the repository; its token and webhook secret are forgotten. */
  async disconnect(actor: Actor, dsId: string): Promise<void> {
    await this.get(actor, dsId);
    await this.deps.db.githubConnection.delete({ where: { designSystemId: dsId } });
  }

  /** Starts a `github.push` job (admins). */
  async requestPush(actor: Actor, dsId: string, input: PushInput, idempotencyKey?: string) {
    const ds = await this.deps.designSystems.require(actor, dsId, 'designSystem:publish');
    const connection = await this.deps.db.githubConnection.findUnique({ where: { designSystemId: dsId } });
    if (!connection) throw notFound('The design system is not connected to a GitHub repository');
    const from = input.from ? await this.deps.branches.find(actor, dsId, input.from) : null;
    const branch = input.branch ?? from?.name ?? generatedBranch();
    if (branch === connection.baseBranch)
      throw new AppError('validation_failed', undefined, [
        {
          path: 'branch',
          code: 'base_branch',
          message: 'Push to a branch other than the base branch; the pull request merges it',
        },
      ]);
    const title = input.title ?? `Update ${ds.name} from Ensemble${from ? ` (branch ${from.name})` : ''}`;
    const payload = { branch, title, body: input.body ?? '', ...(from ? { fromBranchId: from.id } : {}) };
    return this.deps.jobs.start(actor, {
      name: 'github.push',
      teamId: ds.teamId,
      designSystemId: dsId,
      payload,
      idempotencyKey,
      attempts: 3,
    });
  }

  /** The `github.push` job. */
  run(jobId: string, ctx: JobContext): Promise<void> {
    return this.deps.jobs.run(jobId, ctx, async (job, report) => {
      const input = job.payload as { branch: string; title: string; body: string; fromBranchId?: string };
      if (!job.createdById) throw new PermanentJobError('The job has no author');
      const actor = await this.deps.authenticator.actorForUser(job.createdById);
      const dsId = job.designSystemId as string;
      const ds = await this.deps.designSystems.require(actor, dsId, 'designSystem:publish');
      const connection = await this.deps.db.githubConnection.findUnique({ where: { designSystemId: dsId } });
      if (!connection) throw new PermanentJobError('The design system is no longer connected to a GitHub repository');
      await report.progress(10, `Building the files of ${ds.name}`);
      const files = input.fromBranchId
        ? await this.branchFiles(actor, dsId, input.fromBranchId, connection)
        : await this.files(actor, dsId, connection);
      await report.progress(25, `Pushing to ${connection.owner}/${connection.repo} ${input.branch}`);
      try {
        const target = {
          owner: connection.owner,
          repo: connection.repo,
          baseBranch: connection.baseBranch,
          branch: input.branch,
        };
        const content = {
          files,
          managed: (path: string) => isManaged(path, connection),
          message: input.title,
          title: input.title,
          body: input.body || `Tokens and components of ${ds.name}, pushed from Ensemble.`,
        };
        const outcome = await pushFiles(await this.api(connection), target, content, (percent, message) =>
          report.progress(percent, message),
        );
        return {
          ...outcome,
          repository: `${connection.owner}/${connection.repo}`,
          baseBranch: connection.baseBranch,
          pullRequestUrl: outcome.pullRequest?.url ?? null,
          pullRequestNumber: outcome.pullRequest?.number ?? null,
        };
      } catch (err) {
        if (!(err instanceof GithubError)) throw err;
        // A branch that moved under us is read again on the next try; so is a GitHub outage.
        if (err.transient || /not a fast forward/i.test(err.githubMessage)) throw new Error(err.message);
        throw new PermanentJobError(err.message);
      }
    });
  }

  /**
   * Path → content of a design-system branch: its own tokens and component documents (live, not
   * main's rows); a component created on main after the fork is not on the branch, so not pushed.
   */
  private async branchFiles(
    actor: Actor,
    dsId: string,
    branchId: string,
    layout: RepoLayout,
  ): Promise<Map<string, string>> {
    const forks = await this.deps.branches.forks(branchId);
    const sources: { name: string; code: string; documentation: string }[] = [];
    for (const fork of forks.filter((f) => f.kind === 'component')) {
      const content = await this.deps.documents
        .read(onBranch(fork.mainName, branchId), actor, (doc) => readComponent(doc))
        .catch((err: unknown) => (err instanceof AppError && err.code === 'not_found' ? null : Promise.reject(err)));
      if (content?.name) sources.push({ name: content.name, code: content.code, documentation: content.docs });
    }
    sources.sort((a, b) => a.name.localeCompare(b.name));
    const { tokens, groups } = await this.deps.documents.read(onBranch(tokensDoc(dsId), branchId), actor, (doc) => ({
      tokens: readTokens(doc),
      groups: readGroups(doc),
    }));
    return new Map([...tokenFiles(tokens, groups, layout), ...componentFiles(sources, layout)]);
  }

  /** Path → content of everything a push writes. */
  private async files(actor: Actor, dsId: string, layout: RepoLayout): Promise<Map<string, string>> {
    const ids = await this.deps.db.component.findMany({ where: { designSystemId: dsId }, select: { id: true } });
    await Promise.all(ids.map((c) => this.deps.materialiser.flush(`component:${c.id}`)));
    const components = await this.deps.db.component.findMany({
      where: { designSystemId: dsId },
      orderBy: { name: 'asc' },
      select: { name: true, code: true, documentation: true },
    });
    const { tokens, groups } = await this.deps.documents.read(tokensDoc(dsId), actor, (doc) => ({
      tokens: readTokens(doc),
      groups: readGroups(doc),
    }));
    const sources = components.map((c) => ({ name: c.name, code: c.code, documentation: c.documentation ?? '' }));
    return new Map([...tokenFiles(tokens, groups, layout), ...componentFiles(sources, layout)]);
  }
}
