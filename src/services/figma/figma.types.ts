// The parts of Figma's REST API responses Ensemble reads, typed as Figma documents them
// (developers.figma.com/docs/rest-api). Fields not read here are left out.

/** `GET /v1/me`. */
export interface FigmaMe {
  id: string;
  handle: string;
  email?: string;
  img_url?: string;
}

/** Figma colours are floats from 0 to 1. */
export interface FigmaColor {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** A value bound to a variable. */
export interface VariableAlias {
  type: 'VARIABLE_ALIAS';
  id: string;
}

export type VariableValue = boolean | number | string | FigmaColor | VariableAlias;

export type VariableResolvedType = 'BOOLEAN' | 'FLOAT' | 'STRING' | 'COLOR';

export interface FigmaVariable {
  id: string;
  name: string;
  key: string;
  variableCollectionId: string;
  resolvedType: VariableResolvedType;
  valuesByMode: Record<string, VariableValue>;
  remote: boolean;
  description: string;
  hiddenFromPublishing: boolean;
  /** Where the variable may be used: ALL_SCOPES, CORNER_RADIUS, GAP, WIDTH_HEIGHT, FONT_SIZE, OPACITY… */
  scopes: string[];
  codeSyntax?: { WEB?: string; ANDROID?: string; iOS?: string };
  deletedButReferenced?: boolean;
}

export interface FigmaVariableCollection {
  id: string;
  name: string;
  key: string;
  modes: { modeId: string; name: string }[];
  defaultModeId: string;
  remote: boolean;
  hiddenFromPublishing: boolean;
  variableIds: string[];
}

/** `GET /v1/files/:key/variables/local`. */
export interface FigmaLocalVariables {
  status: number;
  error: boolean;
  meta: {
    variables: Record<string, FigmaVariable>;
    variableCollections: Record<string, FigmaVariableCollection>;
  };
}

/** `GET /v1/files/:key?depth=1` (the document's pages only). */
export interface FigmaFileMeta {
  name: string;
  lastModified: string;
  version: string;
  editorType?: string;
}

export interface FigmaPaint {
  type: 'SOLID' | 'GRADIENT_LINEAR' | 'GRADIENT_RADIAL' | 'GRADIENT_ANGULAR' | 'GRADIENT_DIAMOND' | 'IMAGE' | string;
  visible?: boolean;
  opacity?: number;
  color?: FigmaColor;
  blendMode?: string;
  boundVariables?: { color?: VariableAlias };
}

export interface FigmaTypeStyle {
  fontFamily?: string;
  fontPostScriptName?: string | null;
  fontWeight?: number;
  fontSize?: number;
  lineHeightPx?: number;
  lineHeightPercentFontSize?: number;
  lineHeightUnit?: 'PIXELS' | 'FONT_SIZE_%' | 'INTRINSIC_%';
  letterSpacing?: number;
  textAlignHorizontal?: string;
}

export interface FigmaComponentProperty {
  type: 'BOOLEAN' | 'INSTANCE_SWAP' | 'TEXT' | 'VARIANT';
  defaultValue: boolean | string;
  variantOptions?: string[];
}

/** Bound variables of a node: one alias per scalar field, a list per paint list. */
export type BoundVariables = Record<string, VariableAlias | VariableAlias[] | undefined>;

/** A node of the document tree (frames, components, component sets, text…). */
export interface FigmaNode {
  id: string;
  name: string;
  type: string;
  visible?: boolean;
  children?: FigmaNode[];
  fills?: FigmaPaint[];
  strokes?: FigmaPaint[];
  strokeWeight?: number;
  cornerRadius?: number;
  rectangleCornerRadii?: [number, number, number, number];
  layoutMode?: 'NONE' | 'HORIZONTAL' | 'VERTICAL';
  primaryAxisAlignItems?: string;
  counterAxisAlignItems?: string;
  itemSpacing?: number;
  paddingLeft?: number;
  paddingRight?: number;
  paddingTop?: number;
  paddingBottom?: number;
  characters?: string;
  style?: FigmaTypeStyle;
  /** Style ids by kind (`fill`, `text`…), keys of the response's `styles`. */
  styles?: Record<string, string>;
  componentPropertyDefinitions?: Record<string, FigmaComponentProperty>;
  boundVariables?: BoundVariables;
}

export interface FigmaStyleMeta {
  key: string;
  name: string;
  styleType: 'FILL' | 'TEXT' | 'EFFECT' | 'GRID';
  remote: boolean;
  description: string;
}

/** One entry of `GET /v1/files/:key/nodes`; null when the id names no node. */
export interface FigmaNodeEntry {
  document: FigmaNode;
  components: Record<string, { key: string; name: string; description: string; componentSetId?: string }>;
  componentSets: Record<string, { key: string; name: string; description: string }>;
  schemaVersion: number;
  styles: Record<string, FigmaStyleMeta>;
}

/** `GET /v1/files/:key/nodes?ids=…`. */
export interface FigmaNodes {
  name: string;
  lastModified: string;
  /** Sent by Figma, though not in every published typing of this response: the file version read. */
  version?: string;
  err?: string | null;
  nodes: Record<string, FigmaNodeEntry | null>;
}
