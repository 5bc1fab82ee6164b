// Tracing end to end: a real server process exporting to a local OTLP/HTTP receiver. A REST request
// with an X-Request-Id, a socket event and a job (enqueued by a request, run by a BullMQ worker through
// Redis) arrive as spans with their routes, statuses, request id and parents; the last spans are
// flushed on SIGTERM. Without an endpoint nothing is traced and jobs carry no trace headers.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { tracer, tracingEnabled } from '../../../src/observability/tracing.ts';
import { Api } from '../../support/api.ts';
import { exitWithin, freePort, reap, spawnServer, waitReady, type ServerProcess } from '../../support/process.ts';
import { call, connect, eventually, type Client } from '../../support/realtime.ts';
import { startTestServer, testEnv, type TestServer } from '../../support/server.ts';
import { startOtlpStandIn, type OtlpStandIn, type ReceivedSpan } from '../../support/standins/otlp.ts';
import { buildCrew, buildDesignSystem } from '../../support/factories.ts';

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;
const hex = () => randomBytes(5).toString('hex');
// The template generator builds from the design system's variables: it needs a few.
const TOKENS = {
  color: { $type: 'color', surface: { $value: '#ffffff' }, ink: { $value: '#111111' } },
  space: { $type: 'dimension', md: { $value: '16px' } },
  radius: { $type: 'dimension', sm: { $value: '4px' } },
};
const tokenFiles = { files: [{ path: 't.json', content: JSON.stringify(TOKENS) }] };

async function register(api: Api): Promise<string> {
  const res = await api.post('/api/auth/register', {
    email: `trace-${hex()}@example.test`,
    password: `pw-${hex()}-long-enough`,
    name: 'Tracy',
  });
  expect(res.status).toBe(201);
  return res.body.accessToken as string;
}

async function jobFinished(api: Api, jobId: string): Promise<string> {
  let status = '';
  await eventually(async () => {
    const job = (await api.get(`/api/jobs/${jobId}`)).body;
    status = job.status === 'failed' ? `failed: ${JSON.stringify(job.error)}` : job.status;
    return ['completed', 'failed', 'cancelled'].includes(status.split(':')[0] as string);
  }, 20_000);
  return status;
}

describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let otlp: OtlpStandIn;
  let server: ServerProcess | undefined;
  const sockets: Client[] = [];
  const readId = `read-${hex()}`;
  const missingId = `missing-${hex()}`;
  const generateId = `generate-${hex()}`;
  let spans: ReceivedSpan[] = [];
  let output = '';

  beforeAll(async () => {
    otlp = await startOtlpStandIn();
    const env = await testEnv({
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_SERVICE_NAME: 'ensemble-under-test',
    });
    server = spawnServer({ ...env, PORT: String(await freePort()) }, 'all');
    await waitReady(server);
    const api = new Api(server.url);
    const token = await register(api);
    const team = await api.as(token).post('/api/teams', { name: `Team ${hex()}` });
    const ds = await api.as(token).post('/api/design-systems', { teamId: team.body.id, name: `DS ${hex()}` });
    expect(ds.status).toBe(201);
    expect(
      (await api.as(token).post(`/api/design-systems/${ds.body.id}/tokens/import`, tokenFiles)).status,
    ).toBeLessThan(300);

    // A listing always reads its rows (the session and the design system's row may come from a cache).
    expect(
      (await api.as(token).get(`/api/design-systems/${ds.body.id}/components`).set('X-Request-Id', readId)).status,
    ).toBe(200);
    expect((await api.as(token).get(`/api/design-systems/${randomUUID()}`).set('X-Request-Id', missingId)).status).toBe(
      404,
    );

    const socket = await connect(server, { accessToken: token });
    sockets.push(socket);
    expect((await call(socket, 'join-design-system', { designSystemId: ds.body.id, token })).ok).toBe(true);

    const generated = await api
      .as(token)
      .post(`/api/design-systems/${ds.body.id}/components/generate`, { prompt: 'a status badge' })
      .set('X-Request-Id', generateId);
    expect(generated.status).toBe(202);
    expect(await jobFinished(api.as(token), generated.body.id)).toBe('completed');
    for (const s of sockets) s.close();

    // SIGTERM: the spans still buffered are exported before the process exits.
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 30_000)).toBe(0);
    spans = otlp.spans;
    output = server.output();
  }, 180_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await reap(server);
    await otlp?.close();
  });

  const byRequestId = (id: string) => spans.find((s) => s.attributes['ensemble.request_id'] === id);
  const childrenOf = (span: ReceivedSpan) =>
    spans.filter((s) => s.traceId === span.traceId && s.parentSpanId === span.spanId);

  it('exports over OTLP/HTTP in the JSON encoding, under the configured service name', () => {
    expect(otlp.contentTypes.length).toBeGreaterThan(0);
    expect(otlp.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['ensemble-under-test']));
  });

  it('a REST request is a server span named by its route, with status and request id; its queries are children', () => {
    const http = byRequestId(readId);
    expect(http).toMatchObject({
      name: 'GET /api/design-systems/:dsId/components',
      kind: SERVER,
      parentSpanId: undefined,
      status: 0,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/design-systems/:dsId/components',
        'http.response.status_code': 200,
      },
    });
    const queries = childrenOf(http as ReceivedSpan).filter((s) => s.kind === CLIENT);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect(q.attributes['db.system.name']).toBe('postgresql');
      expect(typeof q.attributes['db.operation.name']).toBe('string');
      // `<operation> <model>`; a raw query (the session check) has no model and is named by its operation.
      const collection = q.attributes['db.collection.name'];
      expect(q.name).toBe(
        collection === undefined
          ? q.attributes['db.operation.name']
          : `${q.attributes['db.operation.name']} ${collection}`,
      );
    }
    // Operation and model only: nothing from the query's arguments (the design system's id) is recorded.
    const recorded = JSON.stringify(queries.map((q) => q.attributes));
    expect(recorded).not.toContain(String(http?.attributes['url.path']).split('/')[3]);
  });

  it('an error answer carries the error table code as its error type; a 4xx is not a server error', () => {
    expect(byRequestId(missingId)).toMatchObject({
      kind: SERVER,
      status: 0,
      attributes: { 'http.response.status_code': 404, 'error.type': 'not_found' },
    });
  });

  it('a socket event is a span of its own with the event name and the principal', () => {
    const event = spans.find((s) => s.name === 'socket.io join-design-system');
    expect(event).toMatchObject({
      kind: SERVER,
      parentSpanId: undefined,
      status: 0,
      attributes: { 'socket.io.event': 'join-design-system' },
    });
    expect(String(event?.attributes['ensemble.principal'])).toMatch(/^user:/);
    expect(childrenOf(event as ReceivedSpan).some((s) => s.kind === CLIENT)).toBe(true);
  });

  it('a job runs in a consumer span that is a child of the request that enqueued it, across Redis', () => {
    const request = byRequestId(generateId) as ReceivedSpan;
    expect(request).toMatchObject({
      name: 'POST /api/design-systems/:dsId/components/generate',
      attributes: { 'http.response.status_code': 202 },
    });
    const job = spans.find((s) => s.name === 'process ai.generateComponent');
    expect(job).toMatchObject({
      kind: CONSUMER,
      traceId: request.traceId,
      parentSpanId: request.spanId,
      status: 0,
      attributes: { 'messaging.system': 'bullmq', 'messaging.destination.name': 'ai', 'ensemble.job.attempt': 1 },
    });
    // The job's own queries are its children.
    expect(childrenOf(job as ReceivedSpan).some((s) => s.kind === CLIENT)).toBe(true);
  });

  it('log lines of a traced request carry its trace id', () => {
    const http = byRequestId(readId) as ReceivedSpan;
    const line = output.split('\n').find((l) => l.includes(`"id":"${readId}"`) && l.includes('request completed'));
    expect(line).toBeDefined();
    expect(JSON.parse(line as string)).toMatchObject({ trace_id: http.traceId });
  });
});

describe('single-node, sampling nothing of its own', () => {
  let otlp: OtlpStandIn;
  let server: ServerProcess | undefined;
  const remoteTrace = randomBytes(16).toString('hex');
  const remoteSpan = randomBytes(8).toString('hex');
  let spans: ReceivedSpan[] = [];

  beforeAll(async () => {
    otlp = await startOtlpStandIn();
    // No Redis: jobs run in this process. A ratio of 0: only traces a caller started are kept.
    const env = await testEnv({ REDIS_URL: '', OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_TRACES_SAMPLER_ARG: '0' });
    server = spawnServer({ ...env, PORT: String(await freePort()) }, 'all');
    await waitReady(server);
    const api = new Api(server.url);
    const token = await register(api);
    const team = await api.as(token).post('/api/teams', { name: `Team ${hex()}` });
    const ds = await api.as(token).post('/api/design-systems', { teamId: team.body.id, name: `DS ${hex()}` });
    await api.as(token).post(`/api/design-systems/${ds.body.id}/tokens/import`, tokenFiles);
    const generated = await api
      .as(token)
      .post(`/api/design-systems/${ds.body.id}/components/generate`, { prompt: 'a status badge' })
      .set('traceparent', `00-${remoteTrace}-${remoteSpan}-01`);
    expect(generated.status).toBe(202);
    expect(await jobFinished(api.as(token), generated.body.id)).toBe('completed');
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 30_000)).toBe(0);
    spans = otlp.spans;
  }, 180_000);

  afterAll(async () => {
    await reap(server);
    await otlp?.close();
  });

  it('continues an incoming traceparent, and the in-process job is a child of that request', () => {
    const request = spans.find((s) => s.name === 'POST /api/design-systems/:dsId/components/generate');
    expect(request).toMatchObject({ traceId: remoteTrace, parentSpanId: remoteSpan, kind: SERVER });
    const job = spans.find((s) => s.name === 'process ai.generateComponent');
    expect(job).toMatchObject({
      kind: CONSUMER,
      traceId: remoteTrace,
      parentSpanId: request?.spanId,
      attributes: { 'messaging.system': 'in-process', 'messaging.destination.name': 'ai' },
    });
  });

  it('keeps no trace it started itself at a ratio of 0', () => {
    expect(spans.length).toBeGreaterThan(2);
    expect(spans.every((s) => s.traceId === remoteTrace)).toBe(true);
  });
});

describe('without an endpoint', () => {
  let server: TestServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startTestServer();
    redis = new Redis(server.config.REDIS_URL as string, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await redis.quit();
    await server.close();
  });

  it('nothing is traced: the API stays the no-op, spans do not record and jobs carry no trace headers', async () => {
    expect(tracingEnabled()).toBe(false);
    const crew = await buildCrew(server);
    const ds = await buildDesignSystem(server, crew.team, crew.editor);
    expect(
      (await server.api.as(crew.editor).post(`/api/design-systems/${ds.id}/tokens/import`, tokenFiles)).status,
    ).toBeLessThan(300);
    const res = await server.api
      .as(crew.editor)
      .post(`/api/design-systems/${ds.id}/components/generate`, { prompt: 'a status badge' });
    expect(res.status).toBe(202);
    expect(await jobFinished(server.api.as(crew.editor), res.body.id)).toBe('completed');

    const queue = new Queue('ai', { connection: redis, prefix: `${server.config.REDIS_KEY_PREFIX}bull` });
    const job = await queue.getJob(res.body.id);
    await queue.close();
    expect(job?.data).toEqual({ jobId: res.body.id });

    const span = tracer().startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(trace.getActiveSpan()).toBeUndefined();
    span.end();
  });
});
