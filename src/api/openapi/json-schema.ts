// zod schema → a JSON Schema that standard OpenAPI tooling accepts inside the document:
// - recursive parts (`$defs`, referenced as `#/$defs/…` from the schema's own root) move to
//   `components.schemas`, since inside an OpenAPI document `#` is the document, not the schema;
// - a `pattern` only a Unicode-mode regex understands (`\p{Extended_Pictographic}`) is dropped and
//   stated in the description instead: JSON Schema patterns are compiled without the `u` flag, so
//   validators and code generators reject or misread it. zod still enforces the rule.
import { z } from 'zod';

type Json = Record<string, unknown>;

const UNICODE_ONLY = /\\[pP]\{|\\u\{/;

/** Whether a JSON Schema `pattern` means the same to a regex engine without the `u` flag. */
export function portablePattern(pattern: string): boolean {
  if (UNICODE_ONLY.test(pattern)) return false;
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function rewrite(node: unknown, refs: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, refs));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && refs.has(value)) out.$ref = refs.get(value);
    else if (key === 'pattern' && typeof value === 'string' && !portablePattern(value)) {
      const rule = `Must match the Unicode regular expression /${value}/u.`;
      out.description = typeof out.description === 'string' ? `${out.description} ${rule}` : rule;
    } else if (key === 'description' && typeof value === 'string' && typeof out.description === 'string') {
      out.description = `${value} ${out.description}`;
    } else out[key] = rewrite(value, refs);
  }
  return out;
}

/** Renders zod schemas for one OpenAPI document, collecting their shared definitions. */
export class JsonSchemas {
  /** Definitions referenced from the rendered schemas, for `components.schemas`. */
  readonly components: Record<string, unknown> = {};
  private counter = 0;

  /** The JSON Schema of `schema` as read (`input`) or as answered (`output`). */
  render(schema: z.ZodType, io: 'input' | 'output'): Json {
    const {
      $schema: _dialect,
      $defs,
      ...rest
    } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
    const refs = new Map<string, string>();
    for (const name of Object.keys(($defs as Json | undefined) ?? {}))
      refs.set(`#/$defs/${name}`, `#/components/schemas/Def${++this.counter}`);
    for (const [name, def] of Object.entries(($defs as Json | undefined) ?? {})) {
      this.components[(refs.get(`#/$defs/${name}`) as string).split('/').pop() as string] = rewrite(def, refs);
    }
    return rewrite(rest, refs) as Json;
  }
}
