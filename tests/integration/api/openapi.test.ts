// /api/openapi.json as standard tooling reads it: valid OpenAPI 3.1 for a stock validator, one
// unique camelCase operationId per operation, and no regex a validator or generator cannot compile.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import supertest from 'supertest';
import { startTestServer, type TestServer } from '../../support/server.ts';

type Parameter = { name: string; in: string; description?: string; schema: { description?: string } };
type Operation = { operationId?: string; parameters?: Parameter[] };
type Document = { paths: Record<string, Record<string, Operation>> };

let server: TestServer;
let doc: Document;
beforeAll(async () => {
  server = await startTestServer();
  doc = (await supertest(server.url).get('/api/openapi.json')).body;
});
afterAll(() => server.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

/** Every `pattern` anywhere in the document. */
function patterns(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) patterns(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') found.push(value);
      else patterns(value, found);
    }
  }
  return found;
}

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document for a standard validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('gives every operation a unique camelCase operationId', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(50);
    const missing = ops.filter(({ op }) => !op.operationId).map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
    const ids = ops.map(({ op }) => op.operationId as string);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(doc.paths['/api/auth/me']?.get?.operationId).toBe('getAuthMe');
    expect(doc.paths['/api/comments/{id}/reactions/{emoji}']?.delete?.operationId).toBe(
      'deleteCommentsByIdReactionsByEmoji',
    );
  });

  it('has only patterns an ECMA-262 regex without flags compiles, as JSON Schema tools do', () => {
    const bad = patterns(doc).filter((p) => {
      try {
        new RegExp(p);
        // Unicode property escapes only mean something with the `u` flag, which validators do not set.
        return /\\[pP]\{/.test(p);
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
    const emoji = doc.paths['/api/comments/{id}/reactions/{emoji}']?.delete?.parameters?.find(
      (p) => p.name === 'emoji',
    );
    // The rule is still stated, for people and for tools that do Unicode-mode regexes.
    expect(emoji?.description).toMatch(/emoji/i);
    expect(emoji?.schema.description).toContain('\\p{Extended_Pictographic}');
  });

  it('documents query parameters by their camelCase name and mentions the snake_case alias', () => {
    const list = doc.paths['/api/comments']?.get?.parameters ?? [];
    const names = list.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['resourceType', 'resourceId', 'status', 'limit', 'cursor']));
    expect(names.some((n) => n.includes('_'))).toBe(false);
    expect(list.find((p) => p.name === 'resourceType')?.description).toContain('resource_type');
    type Body = { content: Record<string, { schema: { properties: Record<string, { description?: string }> } }> };
    const create = (doc.paths['/api/comments'] as unknown as { post: { requestBody: Body } }).post.requestBody;
    expect(create.content['application/json']?.schema.properties.resourceId?.description).toContain('resource_id');
    for (const { op } of operations())
      for (const p of op.parameters ?? []) if (p.in === 'query') expect(p.name).not.toContain('_');
  });
});
