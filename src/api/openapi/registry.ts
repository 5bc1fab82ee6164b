// Collects every route's zod schemas and renders the OpenAPI 3.1 document from them, so the docs
// cannot drift from what the validators accept.
import { z } from 'zod';

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
}

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined) {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(field as z.ZodType, 'input'),
  }));
}

/** The set of documented routes. */
export class OpenApiRegistry {
  private readonly routes: RouteDoc[] = [];

  /** Records one route. */
  add(route: RouteDoc): void {
    this.routes.push(route);
  }

  /** Renders the OpenAPI 3.1 document. */
  document(info: { title: string; version: string; serverUrl?: string | undefined }) {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      const errors = Object.fromEntries(
        (r.auth ? [400, 401, 403, 404, 429] : [400, 429]).map((s) => [
          String(s),
          { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      );
      (paths[path] ??= {})[r.method] = {
        summary: r.summary,
        tags: [r.tag],
        ...(r.auth ? { security: [{ bearer: [] }] } : { security: [] }),
        parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
        ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
        ...(r.bodyContentType ? { requestBody: { required: true, content: { [r.bodyContentType]: { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } } } } } : {}),
        responses: {
          [String(r.status)]: {
            description: r.status === 204 ? 'No content' : 'Success',
            ...(r.response ? { content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } } : {}),
          },
          ...errors,
        },
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
      paths,
      components: {
        schemas: { Error: jsonSchema(ErrorBody, 'output') },
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Access token (JWT) or API key (ens_…)' } },
      },
    };
  }
}
