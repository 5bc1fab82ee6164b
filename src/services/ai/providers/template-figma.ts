// The template provider's component for a Figma node: the node's element, layout and text style, each
// value as the design-system variable it was mapped to, and one prop per variant option. Values no
// token matched take the nearest fitting variable, so the output passes the same checks.
import type { FigmaSpec, MappedStyles, MappedValue, StyleRole } from '../../figma/token-mapping.ts';
import type { ComponentSpec } from './provider.ts';

const CSS: Record<StyleRole, string> = {
  background: 'background',
  color: 'color',
  borderColor: 'borderColor',
  borderWidth: 'borderWidth',
  borderRadius: 'borderRadius',
  gap: 'gap',
  paddingTop: 'paddingTop',
  paddingRight: 'paddingRight',
  paddingBottom: 'paddingBottom',
  paddingLeft: 'paddingLeft',
  fontFamily: 'fontFamily',
  fontSize: 'fontSize',
  fontWeight: 'fontWeight',
  lineHeight: 'lineHeight',
};

/** A fitting variable for a role no token matched: by name, then by type. */
function fallback(spec: ComponentSpec, role: StyleRole): string | null {
  // No stand-in for these: a wrong family, weight or line height is worse than the inherited one.
  if (role === 'fontFamily' || role === 'fontWeight' || role === 'lineHeight' || role === 'borderWidth') return null;
  const colour = role === 'background' || role === 'color' || role === 'borderColor';
  const hint: Record<string, RegExp> = {
    background: /(bg|background|surface|brand|primary)/i,
    color: /(fg|foreground|text|ink|on-)/i,
    borderColor: /(border|stroke|outline)/i,
    borderRadius: /(radius|rounded|corner)/i,
    fontSize: /(font-size|text-size|size)/i,
  };
  const byName = spec.variables.find(
    (v) => (hint[role] ?? /(space|spacing|gap|padding)/i).test(v.name) && v.type === (colour ? 'color' : 'dimension'),
  );
  if (byName) return byName.name;
  return spec.variables.find((v) => v.type === (colour ? 'color' : 'dimension'))?.name ?? null;
}

/** A style value as code: the mapped variable, a fallback variable, a plain number or zero, or nothing. */
function css(spec: ComponentSpec, role: StyleRole, v: MappedValue | undefined): string | null {
  if (!v) return null;
  if (v.variable) return `'var(${v.variable})'`;
  if (v.figma === '0px') return `0`;
  // Figma's weights are numbers; anything else would be pasted into code as it is.
  if (role === 'fontWeight') return /^\d{1,4}$/.test(v.figma) ? v.figma : null;
  if (role === 'borderWidth') return `'thin'`;
  const other = fallback(spec, role);
  return other ? `'var(${other})'` : null;
}

function styleLines(spec: ComponentSpec, styles: MappedStyles, indent: string): string[] {
  // A stroke is a solid border; Figma draws none otherwise.
  const border = styles.borderColor ? [`${indent}borderStyle: 'solid',`] : [];
  return border.concat(
    (Object.keys(CSS) as StyleRole[])
      .map((role) => [role, css(spec, role, styles[role])] as const)
      .filter(([, value]) => value !== null)
      .map(([role, value]) => `${indent}${CSS[role]}: ${value},`),
  );
}

const camel = (name: string) => {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w, i) => (i ? w[0]?.toUpperCase() + w.slice(1) : w.toLowerCase())).join('');
  return /^[a-z]/.test(joined) ? joined : `prop${joined}`;
};
/** A single-quoted string literal of any text (a Figma label may span lines). */
const quote = (s: string) =>
  `'${s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
/** Text others wrote in Figma, for a comment: one line that cannot close it. */
const said = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\*\//g, '*\\/');

/** The sections for a component built from a Figma node. */
export function renderFigmaTemplate(spec: ComponentSpec, figma: FigmaSpec): string {
  const n = spec.name;
  const tag = /button/i.test(figma.name) ? 'button' : 'div';
  const variants = figma.variants;
  const variantProp = variants ? camel(variants.property) : null;
  const union = variants ? variants.options.map(quote).join(' | ') : '';
  const used = new Set<string>();
  const base = styleLines(spec, figma.styles, '        ');
  for (const line of base) for (const m of line.matchAll(/var\((--[\w-]+)\)/g)) used.add(m[1] as string);
  const variantTable = variants
    ? [
        `const ${variantProp?.toUpperCase()}_STYLES: Record<${n}Props['${variantProp}'] & string, CSSProperties> = {`,
        ...variants.options.map((o) => {
          const lines = styleLines(spec, variants.styles[o] ?? {}, '    ');
          return [`  ${quote(o)}: {`, ...lines, `  },`].join('\n');
        }),
        `};`,
        ``,
      ]
    : [];
  const layout = figma.direction
    ? [
        `        display: 'inline-flex',`,
        `        flexDirection: '${figma.direction}',`,
        `        alignItems: 'center',`,
      ]
    : [];
  const label = figma.label ?? figma.name;
  return [
    `=== ${n}.tsx`,
    `import type { CSSProperties, ReactNode } from 'react';`,
    ``,
    `/** ${said(spec.description.replace(/\.?$/, '.'))} Built from the Figma ${said(figma.type.toLowerCase().replace(/_/g, ' '))} "${said(figma.name)}" (${said(figma.url)}). */`,
    `export interface ${n}Props {`,
    `  /** What the ${n.toLowerCase()} shows (Figma: "${said(label)}"). */`,
    `  children?: ReactNode;`,
    ...(variants ? [`  /** Figma's ${said(variants.property)} variants. */`, `  ${variantProp}?: ${union};`] : []),
    `  /** Extra styles, merged last. */`,
    `  style?: CSSProperties;`,
    `}`,
    ``,
    ...variantTable,
    `export function ${n}({ children = ${quote(label)}, ${variants ? `${variantProp} = ${quote(variants.default)}, ` : ''}style }: ${n}Props) {`,
    `  return (`,
    `    <${tag}`,
    `      data-component="${n}"`,
    ...(variants ? [`      data-${variantProp?.toLowerCase()}={${variantProp}}`] : []),
    `      style={{`,
    ...layout,
    ...(figma.styles.borderColor ? [] : [`        borderStyle: 'none',`]),
    ...base,
    ...(variants ? [`        ...${variantProp?.toUpperCase()}_STYLES[${variantProp}],`] : []),
    `        ...style,`,
    `      }}`,
    `    >`,
    `      {children}`,
    `    </${tag}>`,
    `  );`,
    `}`,
    `=== props.json`,
    JSON.stringify(
      {
        children: { type: 'ReactNode', required: false, default: label },
        ...(variants && variantProp ? { [variantProp]: { type: union, default: variants.default } } : {}),
        style: { type: 'CSSProperties', required: false },
      },
      null,
      2,
    ),
    `=== README.md`,
    `# ${n}`,
    ``,
    spec.description,
    ``,
    `Built from the Figma ${figma.type === 'COMPONENT_SET' ? 'component set' : 'node'} "${figma.name}" (file \`${figma.fileKey}\`, node \`${figma.nodeId}\`, version ${figma.version}).`,
    ``,
    `Design-system variables: ${[...used].map((v) => `\`${v}\``).join(', ') || 'none'}.`,
    ...(figma.unmapped.length ? [``, `Values with no token: ${figma.unmapped.join('; ')}.`] : []),
    `=== ${n}.stories.tsx`,
    `import type { Meta, StoryObj } from '@storybook/react';`,
    `import { ${n} } from './${n}';`,
    ``,
    `const meta: Meta<typeof ${n}> = { title: 'Generated/${n}', component: ${n} };`,
    `export default meta;`,
    ``,
    ...(variants
      ? variants.options.map(
          (o) =>
            `export const ${camel(o).replace(/^./, (c) => c.toUpperCase())}: StoryObj<typeof ${n}> = { args: { ${variantProp}: ${quote(o)} } };`,
        )
      : [`export const Default: StoryObj<typeof ${n}> = { args: {} };`]),
    ``,
  ].join('\n');
}
