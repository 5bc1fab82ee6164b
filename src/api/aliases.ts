// camelCase is the one documented spelling of query parameters and body fields. The snake_case
// spelling of each multi-word name is accepted as an alias: the product was first specified with
// `GET /api/comments?resource_type=…&resource_id=…`, and clients written against that keep working.
// The route builder applies this to every route; the OpenAPI document names the alias.
import { z } from 'zod';
import { AppError } from '../utils/errors.ts';

/** `resourceType` → `resource_type`; null for a name with no second spelling (`limit`, `$value`). */
export function snakeAlias(name: string): string | null {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake === name ? null : snake;
}

/** alias → camelCase name, for each multi-word field of an object schema (none for other schemas). */
export function aliasesOf(schema: z.ZodType | undefined): ReadonlyMap<string, string> {
  if (!(schema instanceof z.ZodObject)) return new Map();
  return new Map(
    Object.keys(schema.shape).flatMap((name) => {
      const alias = snakeAlias(name);
      return alias && !(alias in schema.shape) ? [[alias, name] as const] : [];
    }),
  );
}

/**
 * The input with each alias renamed to its camelCase name. Both spellings at once is refused, so a
 * client never wonders which one won.
 */
export function resolveAliases(input: unknown, aliases: ReadonlyMap<string, string>, where: string): unknown {
  if (!aliases.size || !input || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  const both: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    const name = aliases.get(key);
    if (name === undefined) out[key] = value;
    else if (Object.hasOwn(input, name)) both.push(name);
    else out[name] = value;
  }
  if (both.length) {
    throw new AppError(
      'validation_failed',
      undefined,
      both.map((name) => ({
        path: [where, name].filter(Boolean).join('.'),
        code: 'duplicate_alias',
        message: `Give ${name} or ${snakeAlias(name)}, not both`,
      })),
    );
  }
  return out;
}
