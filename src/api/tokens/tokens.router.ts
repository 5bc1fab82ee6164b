// /api/design-systems/:dsId/tokens: CRUD (seed 001 paths), bulk import and Style Dictionary export.
import express, { type RequestHandler } from 'express';
import multer from 'multer';
import { uploadSize } from '../../middleware/upload-size.ts';
import { presentToken } from '../../models/presenters/token.presenter.ts';
import type { Services } from '../../services/index.ts';
import type { Token } from '../../services/tokens/token.types.ts';
import { AppError } from '../../utils/errors.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import {
  CreateTokenBody,
  DsParams,
  ExportQuery,
  ImportBody,
  ListTokensQuery,
  ModeBody,
  ModeParams,
  TokenParams,
  UpdateTokenBody,
} from './tokens.schema.ts';

/** Where token files are imported: its JSON body may be as large as a multipart upload (TOKEN_IMPORT_MAX_BYTES). */
export const TOKEN_IMPORT_PATH = '/api/design-systems/:dsId/tokens/import';

/**
 * The import route's JSON parser, mounted before the global one (BODY_LIMIT_BYTES stays for every
 * other route): the same limit as multipart, refused from the Content-Length before a byte is read,
 * or when a body without one grows past it.
 */
export function tokenImportJson(maxBytes: number): RequestHandler {
  const parse = express.json({ limit: maxBytes, strict: true });
  const tooLarge = () => new AppError('payload_too_large', `Token imports are limited to ${maxBytes} bytes`);
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.is('application/json')) return next();
    if (Number(req.headers['content-length']) > maxBytes) return next(tooLarge());
    parse(req, res, (err?: unknown) =>
      next((err as { type?: string } | undefined)?.type === 'entity.too.large' ? tooLarge() : err),
    );
  };
}

/** The token routes. */
export function tokenRoutes(
  { tokens, designSystems, figma }: Services,
  registry: OpenApiRegistry,
  maxImportBytes: number,
) {
  const r = new Routes(registry, '/api/design-systems/:dsId/tokens', 'Tokens');
  const uploads = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxImportBytes, files: 200, fields: 10 },
  }).array('files', 200);

  r.get(
    '/',
    { summary: 'List tokens; filter by category, type, name', params: DsParams, query: ListTokensQuery },
    async ({ actor, params, query }) => {
      const { items, nextCursor } = await tokens.list(actor, params.dsId, query);
      return { items: items.map(presentToken), nextCursor };
    },
  );
  r.post(
    '/',
    { summary: 'Create a token (DTCG `$value`, aliases allowed)', params: DsParams, body: CreateTokenBody },
    async ({ actor, params, body }) =>
      presentToken(await tokens.create(actor, params.dsId, body.path, body.token as Token)),
  );
  r.put(
    '/:id',
    { summary: 'Update a token', params: TokenParams, body: UpdateTokenBody },
    async ({ actor, params, body }) =>
      presentToken(await tokens.update(actor, params.dsId, params.id, body as Partial<Token>)),
  );
  r.delete(
    '/:id',
    { summary: 'Delete a token (refused while others refer to it)', params: TokenParams, status: 204 },
    async ({ actor, params }) => {
      await tokens.remove(actor, params.dsId, params.id);
    },
  );

  r.post(
    '/import',
    {
      summary:
        "Import DTCG, Tokens Studio or Style Dictionary files (JSON or JSON5) as JSON `{ files }`, multipart `files`, `{ url }`, or a Figma file's variables `{ figma: { fileKey } }`; 422 lists every problem",
      params: DsParams,
      body: ImportBody,
      multipart: true,
      status: 200,
      // Permission first, then the size of the whole upload, then multer reads it.
      guard: ({ actor, params }) => designSystems.require(actor, params.dsId, 'designSystem:write'),
      before: [uploadSize(maxImportBytes), uploads],
    },
    async ({ actor, params, body, req }) => {
      const uploaded = (req.files as Express.Multer.File[] | undefined) ?? [];
      const options = {
        ...(body.format ? { format: body.format } : {}),
        ...(body.sets ? { sets: body.sets } : {}),
        ...(body.theme ? { theme: body.theme } : {}),
        ...(body.mode ? { mode: body.mode } : {}),
      };
      if (body.figma) return figma.importVariables(actor, params.dsId, body.figma.fileKey);
      if (body.url) return tokens.importUrl(actor, params.dsId, body.url, options);
      const files = body.files ?? uploaded.map((f) => ({ path: f.originalname, content: f.buffer.toString('utf8') }));
      if (!files.length)
        throw new AppError('validation_failed', undefined, [
          { path: 'files', code: 'required', message: 'Give files, a multipart upload or a url' },
        ]);
      return tokens.import(actor, params.dsId, files, options);
    },
  );

  r.get(
    '/modes',
    {
      summary:
        'List the modes (light, dark…) the tokens have values for and the Tokens Studio themes, with token counts',
      params: DsParams,
    },
    async ({ actor, params }) => ({ items: await tokens.modes.list(actor, params.dsId) }),
  );
  r.put(
    '/modes/:mode',
    {
      summary: 'Set the mode whose values a mode takes where it has none of its own (`{ fallback: null }` removes it)',
      params: ModeParams,
      body: ModeBody,
    },
    async ({ actor, params, body }) => tokens.modes.setFallback(actor, params.dsId, params.mode, body.fallback),
  );

  r.get(
    '/export',
    {
      summary:
        'Export tokens through Style Dictionary: css, scss, less, js, ts, json, dtcg, ios-swift, android-xml; `mode` writes one mode, `modes=all` (css) a block per mode',
      params: DsParams,
      query: ExportQuery,
    },
    async ({ actor, params, query, res }) => {
      const { format, ...options } = query;
      const file = await tokens.export(actor, params.dsId, format, options);
      res.set({
        'Content-Type': `${file.contentType}; charset=utf-8`,
        'Content-Disposition': `attachment; filename="${file.filename}"`,
      });
      res.send(file.content);
    },
  );
  return r;
}
