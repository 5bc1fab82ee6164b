// Team webhooks: registration (public URLs only unless allowlisted), signed deliveries through the
// job queue with exponential retries, a delivery log, a test send, and automatic disabling after
// repeated failures. Delivery re-checks the address and connects to the checked one, no redirects.
// Each domain event asks which endpoints want it: a team's active endpoints are cached for
// WEBHOOK_CACHE_MS, and every change to them (made here, on any node) invalidates the team's entry
// on every node through src/models/cache-invalidation.ts before the change is answered.
import { bindCache, type CacheInvalidation } from '../../models/cache-invalidation.ts';
import type { Db, Prisma, Webhook, WebhookDelivery } from '../../models/db.ts';
import { randomToken } from '../../utils/crypto.ts';
import { afterCursor, page } from '../../utils/cursor.ts';
import { AppError, notFound } from '../../utils/errors.ts';
import { checkOutboundUrl, guardedFetch, type OutboundPolicy } from '../../utils/net-guard.ts';
import type { SecretBox } from '../../utils/secret-box.ts';
import { TtlCache } from '../../utils/ttl-cache.ts';
import type { JobContext, JobQueue } from '../../workers/jobs.ts';
import { authorId, type Actor } from '../actor.ts';
import { authorize } from '../policy.ts';
import { signatureHeader } from './signing.ts';
import type { WebhookEvent } from './webhook-events.ts';

export interface WebhookSettings {
  policy: OutboundPolicy;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  disableAfter: number;
  /** How long a team's active endpoints are cached (0: read for every event). */
  cacheMs: number;
}

/** What dispatch needs of an active endpoint; delivery reads the row itself. */
interface ActiveHook {
  id: string;
  events: string[];
}

export interface WebhookInput {
  url: string;
  events: (WebhookEvent | '*')[];
  secret?: string | undefined;
  active?: boolean | undefined;
}

/** Webhook endpoints and their deliveries. */
export class WebhookService {
  private readonly db: Db;
  private readonly queue: JobQueue;
  private readonly box: SecretBox;
  private readonly settings: WebhookSettings;
  private readonly invalidation: CacheInvalidation;
  /** Active endpoints by team id. */
  private readonly active: TtlCache<ActiveHook[]>;

  constructor(db: Db, queue: JobQueue, box: SecretBox, settings: WebhookSettings, invalidation: CacheInvalidation) {
    this.db = db;
    this.queue = queue;
    this.box = box;
    this.settings = settings;
    this.invalidation = invalidation;
    this.active = new TtlCache({ ttlMs: settings.cacheMs, maxEntries: 10_000 });
    bindCache(invalidation, 'webhooks', this.active);
  }

  /** Drops the team's cached endpoints on every node (a change to them, or the team deleted). */
  forgetTeam(teamId: string): Promise<void> {
    return this.invalidation.invalidate('webhooks', teamId);
  }

  /** Registers an endpoint; the signing secret is returned this once. */
  async create(actor: Actor, teamId: string, input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    authorize(actor, 'webhook:manage', { teamId });
    await checkOutboundUrl(input.url, this.settings.policy);
    const secret = input.secret ?? `whsec_${randomToken(32)}`;
    const webhook = await this.db.webhook.create({
      data: {
        teamId,
        url: input.url,
        events: [...new Set(input.events)],
        secretEncrypted: this.box.seal(secret),
        active: input.active ?? true,
        createdById: authorId(actor),
      },
    });
    await this.forgetTeam(teamId);
    return { webhook, secret };
  }

  /** A team's endpoints. */
  async list(actor: Actor, teamId: string): Promise<Webhook[]> {
    authorize(actor, 'webhook:manage', { teamId });
    return this.db.webhook.findMany({ where: { teamId }, orderBy: { createdAt: 'asc' } });
  }

  /** One endpoint. */
  async get(actor: Actor, teamId: string, id: string): Promise<Webhook> {
    authorize(actor, 'webhook:manage', { teamId });
    const webhook = await this.db.webhook.findFirst({ where: { id, teamId } });
    if (!webhook) throw notFound();
    return webhook;
  }

  /** Changes URL, events or state; re-enabling clears the failure count. */
  async update(
    actor: Actor,
    teamId: string,
    id: string,
    input: Partial<Omit<WebhookInput, 'secret'>>,
  ): Promise<Webhook> {
    await this.get(actor, teamId, id);
    if (input.url) await checkOutboundUrl(input.url, this.settings.policy);
    const webhook = await this.db.webhook.update({
      where: { id },
      data: {
        ...(input.url ? { url: input.url } : {}),
        ...(input.events ? { events: [...new Set(input.events)] } : {}),
        ...(input.active === true ? { active: true, failureCount: 0, disabledAt: null } : {}),
        ...(input.active === false ? { active: false, disabledAt: new Date() } : {}),
      },
    });
    await this.forgetTeam(teamId);
    return webhook;
  }

  /** Replaces the signing secret; the new one is returned this once. */
  async rotateSecret(actor: Actor, teamId: string, id: string): Promise<{ webhook: Webhook; secret: string }> {
    await this.get(actor, teamId, id);
    const secret = `whsec_${randomToken(32)}`;
    return {
      webhook: await this.db.webhook.update({ where: { id }, data: { secretEncrypted: this.box.seal(secret) } }),
      secret,
    };
  }

  /** Deletes an endpoint and its log. */
  async remove(actor: Actor, teamId: string, id: string): Promise<void> {
    await this.get(actor, teamId, id);
    await this.db.webhook.delete({ where: { id } });
    await this.forgetTeam(teamId);
  }

  /** An endpoint's deliveries, newest first. */
  async deliveries(actor: Actor, teamId: string, id: string, query: { limit: number; cursor?: string | undefined }) {
    await this.get(actor, teamId, id);
    const rows = await this.db.webhookDelivery.findMany({
      where: { webhookId: id, ...afterCursor(query.cursor, 'desc') },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    return page(rows, query.limit);
  }

  /** Sends a `ping` to one endpoint now. */
  async test(actor: Actor, teamId: string, id: string): Promise<WebhookDelivery> {
    const webhook = await this.get(actor, teamId, id);
    if (!webhook.active) throw new AppError('conflict', 'The endpoint is disabled; enable it first');
    return this.enqueue(webhook, 'ping', { message: 'Hello from Ensemble', webhookId: id });
  }

  /** Queues a delivery of `event` to every active endpoint of the team that wants it. */
  async dispatch(teamId: string, event: WebhookEvent, data: unknown): Promise<number> {
    const hooks = this.invalidation.listening()
      ? await this.active.load(teamId, () => this.readActive(teamId))
      : await this.readActive(teamId);
    let queued = 0;
    for (const hook of hooks) {
      if (!hook.events.includes(event) && !hook.events.includes('*')) continue;
      try {
        await this.enqueue(hook, event, data);
        queued += 1;
      } catch (err) {
        // Deleted since it was cached (an invalidation lost with Redis): skip it, and read afresh next time.
        if ((err as { code?: string }).code !== 'P2003') throw err;
        this.active.delete(teamId);
      }
    }
    return queued;
  }

  private async readActive(teamId: string): Promise<ActiveHook[]> {
    return this.db.webhook.findMany({ where: { teamId, active: true }, select: { id: true, events: true } });
  }

  /** Re-queues deliveries still pending (after a restart in single-node mode). */
  async resumePending(): Promise<number> {
    const pending = await this.db.webhookDelivery.findMany({ where: { status: 'pending' }, select: { id: true } });
    for (const d of pending)
      await this.queue.enqueue(
        'webhooks.deliver',
        { deliveryId: d.id },
        { attempts: this.settings.attempts, backoffMs: this.settings.backoffMs, jobId: d.id },
      );
    return pending.length;
  }

  /** One delivery attempt (the `webhooks.deliver` job). Throws to ask for a retry. */
  async deliver(deliveryId: string, ctx: JobContext): Promise<void> {
    const delivery = await this.db.webhookDelivery.findUnique({
      where: { id: deliveryId },
      include: { webhook: true },
    });
    if (delivery?.status !== 'pending') return;
    const { webhook } = delivery;
    if (!webhook.active) {
      await this.db.webhookDelivery.update({
        where: { id: deliveryId },
        data: { status: 'failed', error: 'The endpoint is disabled' },
      });
      return;
    }
    const body = JSON.stringify({
      id: delivery.id,
      event: delivery.event,
      teamId: webhook.teamId,
      createdAt: delivery.createdAt.toISOString(),
      data: delivery.payload,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await guardedFetch(webhook.url, this.settings.policy, {
        method: 'POST',
        body,
        timeoutMs: this.settings.timeoutMs,
        maxBytes: 64 * 1024,
        headers: {
          'Content-Type': 'application/json',
          'Ensemble-Event': delivery.event,
          'Ensemble-Delivery': delivery.id,
          'Ensemble-Timestamp': String(timestamp),
          'Ensemble-Signature': signatureHeader(this.box.open(webhook.secretEncrypted), timestamp, body),
        },
      });
      status = res.status;
      if (res.status < 200 || res.status >= 300) error = `The endpoint answered ${res.status}`;
    } catch (err) {
      error = err instanceof AppError ? err.message : 'The request failed';
    }
    const durationMs = Date.now() - started;
    if (!error) {
      await this.db.$transaction([
        this.db.webhookDelivery.update({
          where: { id: deliveryId },
          data: {
            status: 'succeeded',
            attempts: ctx.attempt,
            responseStatus: status,
            error: null,
            durationMs,
            deliveredAt: new Date(),
          },
        }),
        this.db.webhook.update({ where: { id: webhook.id }, data: { failureCount: 0 } }),
      ]);
      return;
    }
    await this.db.webhookDelivery.update({
      where: { id: deliveryId },
      data: {
        attempts: ctx.attempt,
        responseStatus: status,
        error,
        durationMs,
        ...(ctx.final ? { status: 'failed' } : {}),
      },
    });
    if (!ctx.final) throw new Error(error);
    const failures = webhook.failureCount + 1;
    const disable = failures >= this.settings.disableAfter;
    await this.db.webhook.update({
      where: { id: webhook.id },
      data: { failureCount: failures, ...(disable ? { active: false, disabledAt: new Date() } : {}) },
    });
    if (disable) await this.forgetTeam(webhook.teamId);
  }

  private async enqueue(webhook: Pick<Webhook, 'id'>, event: WebhookEvent, data: unknown): Promise<WebhookDelivery> {
    const delivery = await this.db.webhookDelivery.create({
      data: { webhookId: webhook.id, event, payload: (data ?? null) as Prisma.InputJsonValue },
    });
    await this.queue.enqueue(
      'webhooks.deliver',
      { deliveryId: delivery.id },
      { attempts: this.settings.attempts, backoffMs: this.settings.backoffMs, jobId: delivery.id },
    );
    return delivery;
  }
}
