// Zod shapes of the Figma answers Ensemble reads (figma.types.ts names the same fields as TypeScript).
// Figma is a third party: an answer whose fields are not of the documented types is refused as
// `figma_unavailable` in one place, instead of failing deep inside the mapping with a TypeError.
// Objects are loose (fields not read are kept); fields Figma may send as null read as absent.
import { z } from 'zod';
import type { FigmaFileMeta, FigmaLocalVariables, FigmaMe, FigmaNode, FigmaNodes } from './figma.types.ts';

const maybe = <S extends z.ZodType>(schema: S) => schema.nullish().transform((v) => v ?? undefined);

const Color = z.looseObject({ r: z.number(), g: z.number(), b: z.number(), a: z.number() });
const Alias = z.looseObject({ type: z.string(), id: z.string() });
const Paint = z.looseObject({
  type: z.string(),
  visible: maybe(z.boolean()),
  opacity: maybe(z.number()),
  color: maybe(Color),
  boundVariables: maybe(z.looseObject({ color: maybe(Alias) })),
});
const TypeStyle = z.looseObject({
  fontFamily: maybe(z.string()),
  fontWeight: maybe(z.number()),
  fontSize: maybe(z.number()),
  lineHeightPx: maybe(z.number()),
});
const Property = z.looseObject({
  // Not an enum: a property type Figma adds later is listed, not a reason to refuse the node.
  type: z.string(),
  defaultValue: z.union([z.boolean(), z.string()]),
  variantOptions: maybe(z.array(z.string())),
});

const Node: z.ZodType<FigmaNode> = z.lazy(() =>
  z.looseObject({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    visible: maybe(z.boolean()),
    children: maybe(z.array(Node)),
    fills: maybe(z.array(Paint)),
    strokes: maybe(z.array(Paint)),
    strokeWeight: maybe(z.number()),
    cornerRadius: maybe(z.number()),
    rectangleCornerRadii: maybe(z.tuple([z.number(), z.number(), z.number(), z.number()])),
    layoutMode: maybe(z.string()),
    itemSpacing: maybe(z.number()),
    paddingLeft: maybe(z.number()),
    paddingRight: maybe(z.number()),
    paddingTop: maybe(z.number()),
    paddingBottom: maybe(z.number()),
    characters: maybe(z.string()),
    style: maybe(TypeStyle),
    componentPropertyDefinitions: maybe(z.record(z.string(), Property)),
    boundVariables: maybe(z.record(z.string(), z.union([Alias, z.array(Alias)]).optional())),
  }),
) as unknown as z.ZodType<FigmaNode>;

/** `GET /v1/me`. */
export const MeAnswer = z.looseObject({
  // The lengths of the columns they are stored in (figma_credentials).
  id: z.union([z.string().max(64), z.number()]).transform(String),
  handle: z.string().max(255),
}) as unknown as z.ZodType<FigmaMe>;

/** `GET /v1/files/:key?depth=1`. */
export const FileMetaAnswer = z.looseObject({
  name: z.string(),
  // The node cache's column holds 64 characters.
  version: z.string().min(1).max(64),
}) as unknown as z.ZodType<FigmaFileMeta>;

/** `GET /v1/files/:key/nodes`. */
export const NodesAnswer = z.looseObject({
  version: maybe(z.string().max(64)),
  nodes: z.record(z.string(), z.looseObject({ document: Node }).nullable()),
}) as unknown as z.ZodType<FigmaNodes>;

const Variable = z.looseObject({
  id: z.string(),
  name: z.string(),
  key: z.string(),
  variableCollectionId: z.string(),
  // Likewise: a type Figma adds later is imported untyped (the token import checks its value).
  resolvedType: z.string(),
  valuesByMode: z.record(z.string(), z.union([z.boolean(), z.number(), z.string(), Alias, Color])),
  remote: z.boolean(),
  description: z.string().default(''),
  scopes: z.array(z.string()).default([]),
});
const Collection = z.looseObject({
  id: z.string(),
  name: z.string(),
  modes: z.array(z.looseObject({ modeId: z.string(), name: z.string() })),
  defaultModeId: z.string(),
});

/** `GET /v1/files/:key/variables/local`. */
export const LocalVariablesAnswer = z.looseObject({
  meta: z.looseObject({
    variables: z.record(z.string(), Variable),
    variableCollections: z.record(z.string(), Collection),
  }),
}) as unknown as z.ZodType<FigmaLocalVariables>;
