// Publishing a design system: a job that snapshots a version (tokens, components, diff from the
// previous one, changelog from the diff and the threads resolved since), builds and packs the npm
// package, stores the tarball, and publishes it when the team configured a registry.
import type { Db, DesignSystemVersion, Prisma } from '../../models/db.ts';
import type { ObjectStore } from '../../models/storage/index.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { checkOutboundUrl, type OutboundPolicy } from '../../utils/net-guard.ts';
import type { SecretBox } from '../../utils/secret-box.ts';
import type { JobContext } from '../../workers/jobs.ts';
import { authorId, type Actor } from '../actor.ts';
import { teamPrefix } from '../assets/assets.service.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import { rowContent } from '../components/components.service.ts';
import type { ComponentVersionService } from '../components/versions.service.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { tokensDoc } from '../documents/document-names.ts';
import type { Materialiser } from '../documents/materialiser.ts';
import { readModeFallbacks, readThemes, readTokens } from '../documents/tokens-doc.ts';
import { TokenNameError } from '../tokens/export/css-values.ts';
import { exportTokens } from '../tokens/export/index.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { PermanentJobError, type JobService } from '../jobs/jobs.service.ts';
import { authorize } from '../policy.ts';
import { slugify } from '../teams/teams.service.ts';
import { buildPackage } from './package-builder.ts';
import { publishToRegistry } from './registry.ts';
import { bump, compare, isSemver, type Bump } from './semver.ts';
import { packTarball } from './tarball.ts';
import { changelog, diffVersions, type VersionContent } from './version-diff.ts';

export interface PublishInput {
  bump?: Bump | undefined;
  version?: string | undefined;
  distTag: string;
  message?: string | undefined;
}

/** Design-system versions and publishing. */
export class PublishService {
  private readonly deps: {
    db: Db;
    events: EventBus;
    jobs: JobService;
    designSystems: DesignSystemService;
    documents: DocumentService;
    materialiser: Materialiser;
    versions: ComponentVersionService;
    store: ObjectStore;
    box: SecretBox;
    authenticator: Authenticator;
    /** Where registry URLs may point (OUTBOUND_ALLOW_HOSTS), checked on save and again on publish. */
    policy: OutboundPolicy;
  };

  constructor(deps: PublishService['deps']) {
    this.deps = deps;
  }

  /** Starts a publish job; a version that exists already, or tokens the package cannot hold, are refused up front. */
  async request(actor: Actor, dsId: string, input: PublishInput, idempotencyKey?: string) {
    const ds = await this.deps.designSystems.require(actor, dsId, 'designSystem:publish');
    const version = await this.nextVersion(dsId, ds.version, input);
    if (
      !idempotencyKey &&
      (await this.deps.db.designSystemVersion.findUnique({
        where: { designSystemId_version: { designSystemId: dsId, version } },
      }))
    ) {
      throw new AppError('conflict', `Version ${version} is already published`);
    }
    // The package exports every token as a JavaScript constant: two tokens with one name cannot ship.
    const { tokens } = await this.deps.documents.read(tokensDoc(dsId), actor, (doc) => ({ tokens: readTokens(doc) }));
    await exportTokens(tokens, 'js').catch((err: unknown) => {
      if (err instanceof TokenNameError)
        throw new AppError('token_name_collision', `The package cannot be built: ${err.message}`, err.problems);
    });
    return this.deps.jobs.start(actor, {
      name: 'publish.package',
      teamId: ds.teamId,
      designSystemId: dsId,
      payload: { ...input, version },
      idempotencyKey,
      attempts: 2,
    });
  }

  /** The `publish.package` job. */
  run(jobId: string, ctx: JobContext): Promise<void> {
    return this.deps.jobs.run(jobId, ctx, async (job, report) => {
      const { db, store } = this.deps;
      const input = job.payload as unknown as PublishInput & { version: string };
      if (!job.createdById) throw new PermanentJobError('The job has no author');
      const actor = await this.deps.authenticator.actorForUser(job.createdById);
      const dsId = job.designSystemId as string;
      const ds = await this.deps.designSystems.require(actor, dsId, 'designSystem:publish');
      if (
        await db.designSystemVersion.findUnique({
          where: { designSystemId_version: { designSystemId: dsId, version: input.version } },
        })
      ) {
        throw new PermanentJobError(`Version ${input.version} is already published`);
      }
      await report.progress(10, `Snapshotting ${ds.name} ${input.version}`);
      const content = await this.snapshot(actor, dsId);
      const previous = await this.latest(dsId);
      const diff = diffVersions(
        previous
          ? (previous as unknown as { tokens: VersionContent['tokens']; components: VersionContent['components'] })
          : null,
        content,
      );
      const resolved = await db.comment.findMany({
        where: {
          designSystemId: dsId,
          parentId: null,
          resolved: true,
          ...(previous ? { resolvedAt: { gt: previous.createdAt } } : {}),
        },
        select: { content: true },
        take: 50,
      });
      const notes = changelog(
        input.version,
        diff,
        resolved.map((c) => c.content.split('\n')[0]?.slice(0, 120) ?? ''),
        input.message,
      );

      await report.progress(30, 'Building the package');
      const team = await db.team.findUniqueOrThrow({ where: { id: ds.teamId } });
      const name = team.packageScope
        ? `@${team.packageScope}/${slugify(ds.name)}`
        : `${slugify(ds.name)}-design-system`;
      const { tokens, themes, modeFallbacks } = await this.deps.documents.read(tokensDoc(dsId), actor, (doc) => ({
        tokens: readTokens(doc),
        themes: readThemes(doc),
        modeFallbacks: readModeFallbacks(doc),
      }));
      const files = await buildPackage({
        name,
        version: input.version,
        description: ds.description ?? `${ds.name} design system`,
        tokens,
        themes,
        modeFallbacks,
        components: content.components,
        changelog: notes,
      }).catch((err: unknown) => {
        // Tokens changed since the request into names that collide: nothing to retry.
        throw err instanceof TokenNameError
          ? new PermanentJobError(`The package cannot be built: ${err.message}`)
          : err;
      });
      const tarball = await packTarball(files);
      const key = `${teamPrefix(ds.teamId)}design-systems/${dsId}/packages/${name.replace('/', '__')}-${input.version}.tgz`;
      await store.put(key, tarball.data, 'application/gzip');

      let published = false;
      if (team.registryUrl && team.registryTokenEncrypted) {
        await report.progress(70, `Publishing to ${team.registryUrl}`);
        try {
          await publishToRegistry(
            team.registryUrl,
            this.deps.policy,
            this.deps.box.open(team.registryTokenEncrypted),
            JSON.parse(files.get('package.json') as string),
            tarball,
            input.distTag,
          );
        } catch (err) {
          await store.delete(key);
          throw err instanceof AppError ? new PermanentJobError(err.message) : err;
        }
        published = true;
      }
      const row = await db.designSystemVersion.create({
        data: {
          designSystemId: dsId,
          version: input.version,
          distTag: input.distTag,
          tokens: content.tokens as Prisma.InputJsonValue,
          components: content.components as unknown as Prisma.InputJsonValue,
          diff: diff as unknown as Prisma.InputJsonValue,
          changelog: notes,
          tarballKey: key,
          publishedAt: published ? new Date() : null,
          createdById: authorId(actor),
        },
      });
      await db.designSystem.update({ where: { id: dsId }, data: { version: input.version, published: true } });
      for (const c of await db.component.findMany({ where: { designSystemId: dsId } })) {
        await this.deps.versions.snapshot(actor, c, rowContent(c), `Published in ${input.version}`);
      }
      this.deps.events.publish(
        'designSystem.published',
        {
          teamId: ds.teamId,
          designSystemId: dsId,
          version: input.version,
          packageName: name,
          registry: published ? team.registryUrl : null,
        },
        eventActor(actor),
      );
      return {
        version: input.version,
        packageName: name,
        versionId: row.id,
        tarball: {
          key,
          size: tarball.data.length,
          shasum: tarball.shasum,
          integrity: tarball.integrity,
          files: tarball.files,
        },
        publishedTo: published ? team.registryUrl : null,
      };
    });
  }

  /** Published versions, newest first. */
  async list(actor: Actor, dsId: string): Promise<DesignSystemVersion[]> {
    await this.deps.designSystems.require(actor, dsId, 'designSystem:read');
    const rows = await this.deps.db.designSystemVersion.findMany({ where: { designSystemId: dsId } });
    return rows.sort((a, b) => compare(b.version, a.version));
  }

  /** One version. */
  async get(actor: Actor, dsId: string, version: string): Promise<DesignSystemVersion> {
    await this.deps.designSystems.require(actor, dsId, 'designSystem:read');
    const row = await this.deps.db.designSystemVersion.findUnique({
      where: { designSystemId_version: { designSystemId: dsId, version } },
    });
    if (!row) throw notFound(`Version ${version} does not exist`);
    return row;
  }

  /** What changed from version `a` to version `b`. */
  async diff(actor: Actor, dsId: string, a: string, b: string) {
    const [va, vb] = await Promise.all([this.get(actor, dsId, a), this.get(actor, dsId, b)]);
    return { from: a, to: b, ...diffVersions(va as unknown as VersionContent, vb as unknown as VersionContent) };
  }

  /** The package tarball of a version. */
  async tarball(actor: Actor, dsId: string, version: string) {
    const row = await this.get(actor, dsId, version);
    const body = row.tarballKey ? await this.deps.store.get(row.tarballKey) : null;
    if (!body) throw notFound('This version has no stored package');
    return { row, body };
  }

  /** Sets the team's npm registry, token (stored encrypted) and package scope (admins). */
  async setRegistry(
    actor: Actor,
    teamId: string,
    input: { url: string | null; token?: string | undefined; scope?: string | null | undefined },
  ) {
    authorize(actor, 'webhook:manage', { teamId });
    if (input.url !== null) await checkOutboundUrl(input.url, this.deps.policy);
    const team = await this.deps.db.team.update({
      where: { id: teamId },
      data: {
        registryUrl: input.url,
        ...(input.token !== undefined
          ? { registryTokenEncrypted: input.token ? this.deps.box.seal(input.token) : null }
          : {}),
        ...(input.scope !== undefined ? { packageScope: input.scope } : {}),
        ...(input.url === null ? { registryTokenEncrypted: null } : {}),
      },
    });
    return { url: team.registryUrl, scope: team.packageScope, hasToken: team.registryTokenEncrypted !== null };
  }

  /** The team's registry settings (never the token). */
  async registry(actor: Actor, teamId: string) {
    authorize(actor, 'webhook:manage', { teamId });
    const team = await this.deps.db.team.findUniqueOrThrow({ where: { id: teamId } });
    return { url: team.registryUrl, scope: team.packageScope, hasToken: team.registryTokenEncrypted !== null };
  }

  private async nextVersion(dsId: string, current: string, input: PublishInput): Promise<string> {
    if (input.version) {
      if (!isSemver(input.version))
        throw new AppError('validation_failed', undefined, [
          { path: 'version', code: 'invalid', message: 'Not a semantic version' },
        ]);
      return input.version;
    }
    const latest = await this.latest(dsId);
    return bump(latest?.version ?? current, input.bump ?? 'patch');
  }

  private async latest(dsId: string): Promise<DesignSystemVersion | null> {
    const rows = await this.deps.db.designSystemVersion.findMany({ where: { designSystemId: dsId } });
    return rows.sort((a, b) => compare(b.version, a.version))[0] ?? null;
  }

  private async snapshot(actor: Actor, dsId: string): Promise<VersionContent> {
    const ids = await this.deps.db.component.findMany({ where: { designSystemId: dsId }, select: { id: true } });
    await Promise.all(ids.map((c) => this.deps.materialiser.flush(`component:${c.id}`)));
    const rows = await this.deps.db.component.findMany({ where: { designSystemId: dsId }, orderBy: { name: 'asc' } });
    const tokens = await this.deps.documents.read(tokensDoc(dsId), actor, readTokens);
    return {
      tokens: Object.fromEntries([...tokens].map(([path, t]) => [path, t])) as VersionContent['tokens'],
      components: rows.map((c) => ({
        id: c.id,
        name: c.name,
        code: c.code,
        documentation: c.documentation ?? '',
        props: c.props,
        version: c.version,
      })),
    };
  }
}
