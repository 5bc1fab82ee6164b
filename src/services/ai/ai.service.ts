// AI component generation: a job that creates a draft component and writes the model's answer into
// its live document as it streams (collaborators watch it appear), then checks it — it must compile,
// use the design system's variables and export typed props — and keeps it only if it passes.
import { createHash } from 'node:crypto';
import type { Db, Job } from '../../models/db.ts';
import { AppError } from '../../utils/errors.ts';
import type { JobContext } from '../../workers/jobs.ts';
import type { Actor } from '../actor.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import type { ComponentService } from '../components/components.service.ts';
import { rowContent } from '../components/components.service.ts';
import type { ComponentVersionService } from '../components/versions.service.ts';
import type { DesignSystemService } from '../design-systems/design-systems.service.ts';
import { writeComponent } from '../documents/component-doc.ts';
import type { DocumentService } from '../documents/document.service.ts';
import type { FigmaService } from '../figma/figma.service.ts';
import { figmaPromptSection } from '../figma/figma-prompt.ts';
import { componentDoc, tokensDoc } from '../documents/document-names.ts';
import { readTokens } from '../documents/tokens-doc.ts';
import { JobCancelled, PermanentJobError, type JobService } from '../jobs/jobs.service.ts';
import type { RateLimiter } from '../rate-limit.service.ts';
import { kebabName } from '../tokens/export/names.ts';
import { checkComponent, parseOutput } from './output.ts';
import type { AiProvider, ComponentSpec } from './providers/provider.ts';

export interface GenerateInput {
  prompt: string;
  name?: string | undefined;
  category?: string | undefined;
  referenceComponentId?: string | undefined;
  figmaUrl?: string | undefined;
}

/** The Figma node a generation was asked for, as checked when it was asked (the job reads it again). */
interface FigmaSource {
  fileKey: string;
  nodeId: string;
  version: string;
  /** Whether the node came from the cache when it was asked for. */
  cached: boolean;
}

const SYSTEM = `You write React components in TypeScript for a design system.
Answer with exactly these sections, each starting with a line "=== <file>":
=== <Name>.tsx      the component: export interface <Name>Props and export function <Name>
=== props.json      the props as JSON: name -> { type, default?, required? }
=== README.md       short usage documentation
=== <Name>.stories.tsx  a Storybook story
Style only with the design system's CSS variables (var(--name)); never hard-code colours or sizes.`;

/** `a small status badge` → `SmallStatusBadge`. */
export function componentName(prompt: string): string {
  const words = prompt
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 && !/^(a|an|the|with|for|and|that|of|to|in)$/i.test(w));
  const name = words
    .slice(0, 3)
    .map((w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase())
    .join('');
  return /^[A-Z]/.test(name) ? name : `Generated${name}`;
}

/** Generates components with the configured provider. */
export class AiService {
  private readonly db: Db;
  private readonly provider: AiProvider;
  private readonly jobs: JobService;
  private readonly components: ComponentService;
  private readonly versions: ComponentVersionService;
  private readonly designSystems: DesignSystemService;
  private readonly documents: DocumentService;
  private readonly authenticator: Authenticator;
  private readonly limiter: RateLimiter;
  private readonly figma: FigmaService;
  private readonly settings: { dailyQuota: number; timeoutMs: number };
  private readonly cache = new Map<string, string>();

  constructor(deps: {
    db: Db;
    provider: AiProvider;
    jobs: JobService;
    components: ComponentService;
    versions: ComponentVersionService;
    designSystems: DesignSystemService;
    documents: DocumentService;
    authenticator: Authenticator;
    limiter: RateLimiter;
    figma: FigmaService;
    settings: { dailyQuota: number; timeoutMs: number };
  }) {
    this.db = deps.db;
    this.provider = deps.provider;
    this.jobs = deps.jobs;
    this.components = deps.components;
    this.versions = deps.versions;
    this.designSystems = deps.designSystems;
    this.documents = deps.documents;
    this.authenticator = deps.authenticator;
    this.limiter = deps.limiter;
    this.figma = deps.figma;
    this.settings = deps.settings;
  }

  /** Starts a generation job (idempotent per key); counts against the team's daily quota. */
  async request(actor: Actor, dsId: string, input: GenerateInput, idempotencyKey?: string) {
    const ds = await this.designSystems.require(actor, dsId, 'designSystem:write');
    if (input.referenceComponentId) await this.components.get(actor, dsId, input.referenceComponentId);
    // A Figma link is checked while the client waits: its shape, the user's token, that the node exists.
    let figma: FigmaSource | undefined;
    if (input.figmaUrl) {
      if (actor.kind !== 'user') throw new AppError('user_required', 'Generating from Figma uses your own Figma token');
      const { fileKey, nodeId, version, cached } = await this.figma.prepare(actor.userId, input.figmaUrl);
      figma = { fileKey, nodeId, version, cached };
    }
    if (
      !idempotencyKey ||
      !(await this.db.job.findUnique({ where: { teamId_idempotencyKey: { teamId: ds.teamId, idempotencyKey } } }))
    ) {
      await this.limiter.consume({ key: `ai:${ds.teamId}`, max: this.settings.dailyQuota, windowSeconds: 86_400 });
    }
    return this.jobs.start(actor, {
      name: 'ai.generateComponent',
      teamId: ds.teamId,
      designSystemId: ds.id,
      payload: { ...input, ...(figma ? { figma } : {}), provider: this.provider.name },
      idempotencyKey,
      attempts: 2,
    });
  }

  /** The `ai.generateComponent` job. */
  run(jobId: string, ctx: JobContext): Promise<void> {
    return this.jobs.run(jobId, ctx, (job, report) => this.generate(job, report));
  }

  private async generate(
    job: Job,
    report: Parameters<Parameters<JobService['run']>[2]>[1],
  ): Promise<Record<string, unknown>> {
    const input = job.payload as unknown as GenerateInput & { figma?: FigmaSource };
    if (!job.createdById) throw new PermanentJobError('The job has no author');
    // Permissions are checked again now: the author may have lost access since asking.
    const actor = await this.authenticator.actorForUser(job.createdById);
    const dsId = job.designSystemId as string;
    await this.designSystems.require(actor, dsId, 'designSystem:write');
    const leftover = (job.result as { draftComponentId?: string } | null)?.draftComponentId;
    if (leftover) await this.components.remove(actor, dsId, leftover).catch(() => undefined);
    const tokens = await this.documents.read(tokensDoc(dsId), actor, readTokens);
    const variables = [...tokens].map(([path, t]) => ({ name: `--${kebabName(path)}`, type: t.$type ?? null }));
    const reference = input.referenceComponentId
      ? await this.components.get(actor, dsId, input.referenceComponentId)
      : null;
    const figma = input.figmaUrl ? await this.figmaSpec(job.createdById, input.figmaUrl, tokens) : undefined;
    const name = await this.freeName(dsId, input.name ?? componentName(figma?.name ?? input.prompt));
    const spec: ComponentSpec = { name, description: input.prompt, variables, ...(figma ? { figma } : {}) };
    const prompt = [
      `Component name: ${name}`,
      `Request: ${input.prompt}`,
      figma ? figmaPromptSection(figma) : '',
      reference ? `Reference component ${reference.name}:\n${reference.code}` : '',
      `Design system variables:\n${variables.map((v) => `${v.name}${v.type ? ` (${v.type})` : ''}`).join('\n') || '(none)'}`,
    ]
      .filter(Boolean)
      .join('\n\n');
    await report.progress(5, `Generating ${name} with ${this.provider.name} (${this.provider.model})`);

    const component = await this.components.create(actor, dsId, {
      name,
      category: input.category ?? 'generated',
      status: 'draft',
      code: '',
    });
    // Remembered on the job, so a retry after a crash removes this attempt's half-written draft.
    await this.db.job.update({ where: { id: job.id }, data: { result: { draftComponentId: component.id } } });
    const doc = componentDoc(component.id);
    const cacheKey = createHash('sha256')
      .update(JSON.stringify([this.provider.name, this.provider.model, SYSTEM, prompt]))
      .digest('hex');
    let pending = '';
    let flushed = Date.now();
    const flush = async () => {
      // Stop streaming as soon as someone cancelled the job.
      if (await report.cancelled()) throw new JobCancelled();
      if (!pending) return;
      const chunk = pending;
      pending = '';
      await this.documents.transact(
        doc,
        actor,
        (d) => d.getText('code').insert(d.getText('code').length, chunk),
        'system',
      );
    };
    const onText = async (chunk: string) => {
      pending += chunk;
      if (Date.now() - flushed > 100) {
        flushed = Date.now();
        await flush();
      }
    };
    let text = this.cache.get(cacheKey);
    const cached = text !== undefined;
    try {
      if (text === undefined) {
        text = await this.provider.generate(
          { system: SYSTEM, prompt, spec },
          onText,
          AbortSignal.timeout(this.settings.timeoutMs),
        );
        this.cache.set(cacheKey, text);
        if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value as string);
      } else {
        for (const line of text.split(/(?<=\n)/)) await onText(line);
      }
      await flush();
    } catch (err) {
      await this.components.remove(actor, dsId, component.id).catch(() => undefined);
      if (err instanceof JobCancelled) throw err;
      if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError')
        throw new PermanentJobError(`The AI provider did not answer within ${this.settings.timeoutMs} ms`);
      if (err instanceof AppError) throw new PermanentJobError(err.message);
      throw err;
    }
    await report.progress(70, 'Checking the generated component');
    const output = parseOutput(text, name);
    const check = await checkComponent(output, name, new Set(variables.map((v) => v.name)));
    if (!check.ok) {
      await this.components.remove(actor, dsId, component.id).catch(() => undefined);
      throw new PermanentJobError(`The generated component was not saved: ${check.problems.join('; ')}`);
    }
    // The streamed answer is replaced by its parts: code, docs, props and the story.
    await this.documents.transact(
      doc,
      actor,
      (d) => {
        writeComponent(d, { code: output.code, docs: output.docs, props: output.props });
        const story = d.getText('story');
        story.delete(0, story.length);
        story.insert(0, output.story);
      },
      'system',
    );
    const row = await this.components.materialise(component.id);
    await this.versions.snapshot(actor, row, rowContent(row), `Generated by ${this.provider.name}`);
    await report.progress(95, `Saved ${name}`);
    return {
      componentId: component.id,
      name,
      provider: this.provider.name,
      model: this.provider.model,
      cached,
      variablesUsed: check.variablesUsed,
      ...(figma
        ? {
            figma: {
              fileKey: figma.fileKey,
              nodeId: figma.nodeId,
              version: figma.version,
              // As read when asked (that read filled the cache the job then reads).
              cached: input.figma?.cached ?? figma.cached,
              unmapped: figma.unmapped,
            },
          }
        : {}),
    };
  }

  /**
   * The Figma node's mapped context. Figma down or rate-limited is worth another try (a plain error:
   * the job is retried with backoff); any other refusal ends the job with its message.
   */
  private async figmaSpec(userId: string, url: string, tokens: Parameters<FigmaService['spec']>[2]) {
    try {
      return await this.figma.spec(userId, url, tokens);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'figma_unavailable' || err.code === 'figma_rate_limited'))
        throw new Error(err.message, { cause: err });
      if (err instanceof AppError) throw new PermanentJobError(err.message);
      throw err;
    }
  }

  private async freeName(dsId: string, wanted: string): Promise<string> {
    const taken = new Set(
      (
        await this.db.component.findMany({
          where: { designSystemId: dsId, name: { startsWith: wanted } },
          select: { name: true },
        })
      ).map((c) => c.name),
    );
    if (!taken.has(wanted)) return wanted;
    for (let n = 2; ; n++) if (!taken.has(`${wanted}${n}`)) return `${wanted}${n}`;
  }
}
