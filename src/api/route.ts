// The route builder every router uses: validate → (authenticated actor) → handler → status + JSON.
// Each route is also recorded in the OpenAPI registry from the same schemas.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../services/actor.ts';
import { AppError } from '../utils/errors.ts';
import { zodDetails } from '../utils/error-mapper.ts';
import { aliasesOf, resolveAliases } from './aliases.ts';
import { requireContentType } from '../middleware/content-type.ts';
import type { Method, OpenApiRegistry } from './openapi/registry.ts';

type Schema = z.ZodType;
type Obj = z.ZodObject;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends Schema | undefined, P extends Obj | undefined, Q extends Obj | undefined> {
  summary: string;
  /** Public routes set this to false; everything else needs a user or API key. */
  auth?: boolean;
  body?: B;
  params?: P;
  query?: Q;
  /** Success status; 204 sends no body. */
  status?: number;
  response?: Schema;
  /**
   * The route's policy check on the path alone, run before `before` and before any body is read:
   * an upload to a design system one may not write to is refused without buffering it.
   */
  guard?: (input: { actor: Actor; params: Out<P> }) => Promise<unknown>;
  /** Middleware to run before validation (e.g. multipart parsing); runs after authentication and `guard`. */
  before?: RequestHandler[];
  /** Documents a non-JSON request body (e.g. `multipart/form-data`). */
  bodyContentType?: string;
  /** The JSON body may also be sent as `multipart/form-data` (parsed by a `before` middleware). */
  multipart?: boolean;
  /** Overrides the operationId derived from method and path (keep it unique and camelCase). */
  operationId?: string;
}

export interface RouteInput<B, P, Q> {
  body: Out<B>;
  params: Out<P>;
  query: Out<Q>;
  /** The authenticated actor (throws `unauthenticated` on public routes without one). */
  actor: Actor;
  req: Request;
  res: Response;
}

type Handler<B, P, Q> = (input: RouteInput<B, P, Q>) => unknown;

function parse<S extends Schema>(schema: S | undefined, value: unknown, onError: (e: z.ZodError) => AppError) {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw onError(result.error);
  return result.data;
}

/** A router for one resource whose routes are validated, authenticated and documented alike. */
export class Routes {
  readonly router = Router({ mergeParams: true });

  private readonly registry: OpenApiRegistry;
  readonly base: string;
  private readonly tag: string;

  constructor(registry: OpenApiRegistry, base: string, tag: string) {
    this.registry = registry;
    this.base = base;
    this.tag = tag;
  }

  get<
    B extends Schema | undefined = undefined,
    P extends Obj | undefined = undefined,
    Q extends Obj | undefined = undefined,
  >(path: string, spec: RouteSpec<B, P, Q>, handler: Handler<B, P, Q>) {
    return this.add('get', path, spec, handler);
  }
  post<
    B extends Schema | undefined = undefined,
    P extends Obj | undefined = undefined,
    Q extends Obj | undefined = undefined,
  >(path: string, spec: RouteSpec<B, P, Q>, handler: Handler<B, P, Q>) {
    return this.add('post', path, spec, handler);
  }
  put<
    B extends Schema | undefined = undefined,
    P extends Obj | undefined = undefined,
    Q extends Obj | undefined = undefined,
  >(path: string, spec: RouteSpec<B, P, Q>, handler: Handler<B, P, Q>) {
    return this.add('put', path, spec, handler);
  }
  patch<
    B extends Schema | undefined = undefined,
    P extends Obj | undefined = undefined,
    Q extends Obj | undefined = undefined,
  >(path: string, spec: RouteSpec<B, P, Q>, handler: Handler<B, P, Q>) {
    return this.add('patch', path, spec, handler);
  }
  delete<
    B extends Schema | undefined = undefined,
    P extends Obj | undefined = undefined,
    Q extends Obj | undefined = undefined,
  >(path: string, spec: RouteSpec<B, P, Q>, handler: Handler<B, P, Q>) {
    return this.add('delete', path, spec, handler);
  }

  private add<B extends Schema | undefined, P extends Obj | undefined, Q extends Obj | undefined>(
    method: Method,
    path: string,
    spec: RouteSpec<B, P, Q>,
    handler: Handler<B, P, Q>,
  ): this {
    const fullPath = `${this.base}${path === '/' ? '' : path}` || '/';
    const auth = spec.auth ?? true;
    const status = spec.status ?? (method === 'post' ? 201 : 200);
    const { summary, body: bodySchema, query: querySchema, response, bodyContentType, multipart, operationId } = spec;
    this.registry.add({
      ...{ method, path: fullPath, summary, tag: this.tag, auth, status, body: bodySchema, params: spec.params },
      ...{ query: querySchema, response, bodyContentType, multipart, operationId },
    });
    // snake_case spellings of query parameters and body fields are aliases of the camelCase names.
    const queryAliases = aliasesOf(querySchema);
    const bodyAliases = aliasesOf(bodySchema);
    // A JSON route refuses another content type before anything reads the body (multipart routes
    // say so, and their `before` middleware parses it).
    const jsonTypes = ['application/json', ...(multipart ? ['multipart/form-data'] : [])];
    const contentTypes = bodyContentType ? [bodyContentType] : bodySchema ? jsonTypes : [];
    const checkContentType: RequestHandler[] = contentTypes.length ? [requireContentType(contentTypes)] : [];

    const requireActor: RequestHandler = (req, res, next) => {
      res.locals.route = fullPath;
      next(auth && !req.actor ? new AppError('unauthenticated') : undefined);
    };
    const guard = spec.guard;
    const guarded: RequestHandler[] = guard
      ? [
          (req, _res, next) => {
            const params = parse(spec.params, req.params, () => new AppError('not_found')) as Out<P>;
            guard({ actor: req.actor as Actor, params }).then(() => next(), next);
          },
        ]
      : [];
    const steps = [requireActor, ...guarded, ...checkContentType, ...(spec.before ?? [])];
    this.router[method](path, ...steps, async (req: Request, res: Response) => {
      // A malformed id in the path names a resource that cannot exist: answer like a missing one.
      const params = parse(spec.params, req.params, () => new AppError('not_found'));
      const invalid = (prefix?: string) => (e: z.ZodError) =>
        new AppError('validation_failed', undefined, zodDetails(e, prefix));
      const query = parse(spec.query, resolveAliases(req.query, queryAliases, 'query'), invalid('query'));
      const body = parse(spec.body, resolveAliases(req.body ?? {}, bodyAliases, ''), invalid());
      const input = {
        body,
        params,
        query,
        get actor(): Actor {
          if (!req.actor) throw new AppError('unauthenticated');
          return req.actor;
        },
        req,
        res,
      } as RouteInput<B, P, Q>;
      const result = await handler(input);
      if (res.headersSent) return;
      if (status === 204 || result === undefined)
        res.status(status === 200 && result === undefined ? 204 : status).end();
      // A handler may answer another success status than the route's usual one (e.g. 202).
      else res.status(res.statusCode !== 200 ? res.statusCode : status).json(result);
    });
    return this;
  }
}
