// Collects every route's zod schemas and renders the OpenAPI 3.1 document from them, so the docs
// cannot drift from what the validators accept.
import { z } from 'zod';
import { aliasesOf } from '../aliases.ts';
import { JsonSchemas } from './json-schema.ts';
import { operationId } from './operation-id.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDoc {
  method: Method;
  /** Express-style path, e.g. `/api/teams/:id`. */
  path: string;
  summary: string;
  tag: string;
  auth: boolean;
  status: number;
  body?: z.ZodType | undefined;
  params?: z.ZodObject | undefined;
  query?: z.ZodObject | undefined;
  response?: z.ZodType | undefined;
  bodyContentType?: string | undefined;
  /** The JSON body may also come as `multipart/form-data` (fields and files). */
  multipart?: boolean | undefined;
  /** Overrides the operationId derived from method and path. */
  operationId?: string | undefined;
}

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

function parameters(schemas: JsonSchemas, where: 'path' | 'query', schema: z.ZodObject | undefined) {
  if (!schema) return [];
  const aliases = new Map([...aliasesOf(schema)].map(([alias, name]) => [name, alias]));
  return Object.entries(schema.shape).map(([name, field]) => {
    const alias = aliases.get(name);
    const aliasNote = alias && `Also accepted as \`${alias}\`.`;
    const description = [(field as z.ZodType).description, aliasNote].filter(Boolean).join(' ');
    return {
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: schemas.render(field as z.ZodType, 'input'),
    };
  });
}

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const binary = { type: 'string', format: 'binary' };

function requestBody(schemas: JsonSchemas, r: RouteDoc) {
  if (r.bodyContentType) {
    return {
      required: true,
      content: { [r.bodyContentType]: { schema: { type: 'object', properties: { file: binary } } } },
    };
  }
  if (!r.body) return undefined;
  const json = schemas.render(r.body, 'input');
  const properties = json.properties as Record<string, { description?: string }> | undefined;
  for (const [alias, name] of aliasesOf(r.body)) {
    const property = properties?.[name];
    if (property)
      property.description = [property.description, `Also accepted as \`${alias}\`.`].filter(Boolean).join(' ');
  }
  // Multipart: the files, and the other fields as strings.
  const multipart = {
    type: 'object',
    properties: { files: { type: 'array', items: binary } },
    additionalProperties: { type: 'string' },
  };
  const alsoMultipart = r.multipart ? { 'multipart/form-data': { schema: multipart } } : {};
  return { required: true, content: { 'application/json': { schema: json }, ...alsoMultipart } };
}

/** The set of documented routes. */
export class OpenApiRegistry {
  private readonly routes: RouteDoc[] = [];

  /** Records one route; two routes may not share an operationId. */
  add(route: RouteDoc): void {
    const id = route.operationId ?? operationId(route.method, route.path);
    const taken = this.routes.find((r) => (r.operationId ?? operationId(r.method, r.path)) === id);
    if (taken)
      throw new Error(`operationId ${id} (${route.method} ${route.path}) is taken by ${taken.method} ${taken.path}`);
    this.routes.push({ ...route, operationId: id });
  }

  /** Renders the OpenAPI 3.1 document. */
  document(info: { title: string; version: string; serverUrl?: string | undefined }) {
    const schemas = new JsonSchemas();
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      const body = requestBody(schemas, r);
      const statuses = [400, ...(r.auth ? [401, 403, 404] : []), ...(r.body && !r.bodyContentType ? [415] : []), 429];
      (paths[path] ??= {})[r.method] = {
        operationId: r.operationId,
        summary: r.summary,
        tags: [r.tag],
        ...(r.auth ? { security: [{ bearer: [] }] } : { security: [] }),
        parameters: [...parameters(schemas, 'path', r.params), ...parameters(schemas, 'query', r.query)],
        ...(body ? { requestBody: body } : {}),
        responses: {
          [String(r.status)]: {
            description: r.status === 204 ? 'No content' : 'Success',
            ...(r.response
              ? { content: { 'application/json': { schema: schemas.render(r.response, 'output') } } }
              : {}),
          },
          ...Object.fromEntries(statuses.map((s) => [String(s), errorResponse])),
        },
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
      paths,
      components: {
        schemas: { Error: schemas.render(ErrorBody, 'output'), ...schemas.components },
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Access token (JWT) or API key (ens_…)' },
        },
      },
    };
  }
}
