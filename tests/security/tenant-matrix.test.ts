// Every operation of the OpenAPI document, called as nobody, as a member of another team and as a
// read-only key, with the path filled with the ids of a real team's resources: nobody gets 401 on
// everything that needs a sign-in, the other team's member gets 404 (never 403, never data), a
// read-only key never changes anything, and no caller ever gets a 500.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { buildApiKey, buildComponent, buildCrew, buildDesignSystem } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ids: Record<string, string>;
let readKey: string;

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  auth: boolean;
}

beforeAll(async () => {
  server = await startTestServer();
  crew = await buildCrew(server);
  const ds = await buildDesignSystem(server, crew.team, crew.editor);
  const component = await buildComponent(server, ds.id, crew.editor);
  const token = await server.api
    .as(crew.editor)
    .post(`/api/design-systems/${ds.id}/tokens`, { path: 'color.brand', $value: '#ff0000', $type: 'color' });
  const comment = await server.api
    .as(crew.editor)
    .post('/api/comments', { resourceType: 'component', resourceId: component.id, content: 'hello' });
  readKey = await buildApiKey(server, crew.team, crew.admin, ['read']);
  ids = {
    team: crew.team.id,
    ds: ds.id,
    component: component.id,
    token: String(token.body.id),
    comment: String(comment.body.id ?? '00000000-0000-4000-8000-000000000000'),
    user: crew.editor.id,
  };
}, 30_000);
afterAll(() => server.close());

/** The operations the server documents. */
async function operations(): Promise<Operation[]> {
  const doc = (await supertest(server.url).get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      out.push({
        method: method as Operation['method'],
        path,
        auth: !(Array.isArray(op.security) && op.security.length === 0),
      });
    }
  }
  return out;
}

/** Fills `{param}`s with the real team's ids, by what the path says the parameter names. */
function fill(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    const before = path.slice(0, offset);
    if (name === 'dsId') return ids.ds as string;
    if (name === 'userId') return ids.user as string;
    if (name === 'componentId') return ids.component as string;
    if (before.endsWith('/teams/')) return ids.team as string;
    if (before.endsWith('/design-systems/')) return ids.ds as string;
    if (before.endsWith('/components/')) return ids.component as string;
    if (before.endsWith('/tokens/')) return ids.token as string;
    if (before.endsWith('/comments/')) return ids.comment as string;
    return '00000000-0000-4000-8000-000000000000';
  });
}

/** Paths that belong to the caller, not to a team: another team's member may use them for themself. */
const PERSONAL = [
  /^\/api\/auth\//,
  /^\/api\/notifications/,
  /^\/api\/invitations/,
  /^\/api\/me/,
  /^\/api\/teams$/,
  /^\/api\/design-systems$/,
  /^\/api\/comments$/,
  /^\/api\/jobs$/,
  /^\/api\/openapi\.json$/,
  /^\/health|^\/ready|^\/metrics|^\/docs/,
];

describe('route × caller × tenant matrix', () => {
  it('holds for every documented operation', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(50);
    const problems: string[] = [];
    let calls = 0;
    for (const op of ops) {
      const url = fill(op.path);
      const personal = PERSONAL.some((re) => re.test(op.path));
      const send = (token: string | null) => {
        calls++;
        const req = supertest(server.url)[op.method](url).set('content-type', 'application/json');
        if (token) req.set('authorization', `Bearer ${token}`);
        return op.method === 'get' || op.method === 'delete' ? req : req.send({});
      };
      const anonymous = await send(null);
      if (op.auth && anonymous.status !== 401) problems.push(`${op.method} ${op.path} anonymous → ${anonymous.status}`);
      const outsider = await send(crew.outsider.accessToken);
      if (!personal && op.path.includes('{') && outsider.status !== 404 && outsider.status !== 400)
        problems.push(`${op.method} ${op.path} other team → ${outsider.status}`);
      const key = await send(readKey);
      if (op.method !== 'get' && key.status >= 200 && key.status < 300 && !personal)
        problems.push(`${op.method} ${op.path} read-only key → ${key.status}`);
      for (const [who, res] of [
        ['anonymous', anonymous],
        ['other team', outsider],
        ['read key', key],
      ] as const) {
        // 501 is `not_configured` (GitHub sign-in without a client), an answer rather than a failure.
        if (res.status >= 500 && res.status !== 501) problems.push(`${op.method} ${op.path} ${who} → ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
    console.log(`tenant matrix: ${ops.length} operations × 3 callers = ${calls} calls; 0 leaks, 0 errors`);
  }, 120_000);
});
