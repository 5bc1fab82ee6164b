// Request shapes of /api/design-systems/:dsId/tokens.
import { z } from 'zod';
import { isModeName } from '../../services/tokens/modes.ts';
import { PageQuery } from '../pagination.schema.ts';

const path = z
  .string()
  .min(1)
  .max(355)
  .regex(/^[^.{}$][^.{}]*(\.[^.{}$][^.{}]*)*$/, 'dot-separated names without { } or a leading $');
const extensions = z.record(z.string(), z.json());
const modeName = z
  .string()
  .min(1)
  .max(100)
  .refine(isModeName, 'a mode name has no quotes, braces, \\ or control characters');
/** A token's values per mode: the value, or `{ $value, alpha? }`. */
const modes = z.record(
  modeName,
  z.json().refine((v) => v !== null, 'a mode value'),
);

export const DsParams = z.object({ dsId: z.uuid() });
export const ModeParams = z.object({ dsId: z.uuid(), mode: modeName });
/** A mode's settings: the mode whose values it takes where it has none (null: none). */
export const ModeBody = z.object({ fallback: modeName.nullable() });
export const TokenParams = z.object({ dsId: z.uuid(), id: z.uuid() });

/** A token in DTCG form (`$value`) or seed 001's row form (`category`, `name`, `value`). */
export const CreateTokenBody = z
  .object({
    path: path.optional(),
    category: z.string().min(1).max(100).optional(),
    name: z.string().min(1).max(255).optional(),
    $value: z.json().optional(),
    value: z.json().optional(),
    $type: z.string().max(50).optional(),
    type: z.string().max(50).optional(),
    $description: z.string().max(2000).optional(),
    description: z.string().max(2000).optional(),
    $extensions: extensions.optional(),
    modes: modes.optional(),
  })
  .refine((b) => b.path !== undefined || (b.category !== undefined && b.name !== undefined), {
    message: 'Give path, or category and name',
    path: ['path'],
  })
  .refine((b) => b.$value !== undefined || b.value !== undefined, { message: 'Give $value', path: ['$value'] })
  .transform((b) => ({
    path: b.path ?? `${b.category}.${b.name}`,
    token: {
      $value: b.$value ?? b.value,
      ...((b.$type ?? b.type) ? { $type: b.$type ?? b.type } : {}),
      ...((b.$description ?? b.description) ? { $description: b.$description ?? b.description } : {}),
      ...(b.$extensions ? { $extensions: b.$extensions } : {}),
      ...(b.modes && Object.keys(b.modes).length > 0 ? { modes: b.modes } : {}),
    },
  }));

/** Fields to change; null removes an optional field. `modes` changes the modes it names (null removes one). */
export const UpdateTokenBody = z
  .object({
    $value: z.json().optional(),
    $type: z.string().max(50).nullable().optional(),
    $description: z.string().max(2000).nullable().optional(),
    $extensions: extensions.nullable().optional(),
    modes: z.record(modeName, z.json()).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Give at least one field to change' });

export const ListTokensQuery = PageQuery.extend({
  category: z.string().max(100).optional(),
  type: z.string().max(50).optional(),
  q: z.string().max(255).optional(),
});

const importOptions = {
  format: z.enum(['dtcg', 'tokens-studio', 'style-dictionary']).optional(),
  /** Set names to use (Tokens Studio sets, or Spectrum's light/dark/desktop/mobile…); comma-separated in multipart. */
  sets: z
    .union([
      z.array(z.string().min(1).max(100)).max(50),
      z.string().transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .optional(),
  theme: z.string().min(1).max(200).optional(),
  /** The mode whose values the files hold (files[].mode names one per file). */
  mode: modeName.optional(),
};

export const ImportBody = z
  .object({
    files: z
      .array(
        z.object({
          path: z.string().min(1).max(500),
          content: z.string().max(20 * 1024 * 1024),
          mode: modeName.optional(),
        }),
      )
      .min(1)
      .max(200)
      .optional(),
    url: z.url().optional(),
    /** A Figma file whose local variables to import (with your Figma token; docs/figma.md). */
    figma: z
      .object({ fileKey: z.string().regex(/^[A-Za-z0-9]{10,64}$/, 'a Figma file key (from figma.com/design/<key>/…)') })
      .optional(),
    ...importOptions,
  })
  .refine((b) => !(b.files && b.url), { message: 'Give files or url, not both', path: ['url'] })
  .refine((b) => !(b.figma && (b.files || b.url)), {
    message: 'Give figma alone, without files or url',
    path: ['figma'],
  });

export const ExportQuery = z
  .object({
    format: z.enum(['css', 'scss', 'less', 'js', 'ts', 'json', 'dtcg', 'ios-swift', 'android-xml']).default('css'),
    selector: z.string().min(1).max(200).optional(),
    prefix: z
      .string()
      .regex(/^[A-Za-z][\w-]*$/, 'letters, digits, - and _')
      .max(50)
      .optional(),
    outputReferences: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    remBase: z.coerce.number().positive().max(1000).optional(),
    sets: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .optional(),
    theme: z.string().max(200).optional(),
    /** The mode to write; `theme` is its older name. */
    mode: z.string().min(1).max(200).optional(),
    /** CSS only: `all`, or comma-separated modes, each written as a `[data-color-mode]` block after the defaults. */
    modes: z
      .string()
      .min(1)
      .max(2000)
      .transform((s) =>
        s.trim() === 'all'
          ? ('all' as const)
          : s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
      )
      .optional(),
  })
  .refine((q) => q.modes === undefined || q.format === 'css', {
    message: 'modes (one block per mode) is for format=css; use mode= for one mode in other formats',
    path: ['modes'],
  })
  .refine((q) => q.modes === undefined || (q.mode === undefined && q.theme === undefined), {
    message: 'give modes or mode, not both',
    path: ['modes'],
  });
