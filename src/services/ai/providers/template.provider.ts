// The offline default: writes a typed React component from the request, deterministically, using
// the design system's own variables. No network, same input → same output.
import type { AiProvider, ComponentSpec } from './provider.ts';
import { renderFigmaTemplate } from './template-figma.ts';

const pick = (spec: ComponentSpec, pattern: RegExp, fallback: string) =>
  spec.variables.find((v) => pattern.test(v.name))?.name ?? fallback;

/** The sections a generation answers with (the HTTP providers are asked for the same). */
export function renderTemplate(spec: ComponentSpec): string {
  // Built from a Figma node: shaped like it, with the variables its values were mapped to.
  if (spec.figma) return renderFigmaTemplate(spec, spec.figma);
  const background = pick(
    spec,
    /(bg|background|surface|brand|primary|accent)/i,
    spec.variables.find((v) => v.type === 'color')?.name ?? '--color-background',
  );
  const foreground = pick(
    spec,
    /(fg|foreground|text|ink|on-)/i,
    spec.variables.filter((v) => v.type === 'color').at(-1)?.name ?? '--color-foreground',
  );
  const space = pick(
    spec,
    /(space|spacing|gap|padding)/i,
    spec.variables.find((v) => v.type === 'dimension')?.name ?? '--space-md',
  );
  const radius = pick(spec, /(radius|rounded|corner)/i, space);
  const n = spec.name;
  return [
    `=== ${n}.tsx`,
    `import type { CSSProperties, ReactNode } from 'react';`,
    ``,
    `/** ${spec.description} */`,
    `export interface ${n}Props {`,
    `  /** What the ${n.toLowerCase()} shows. */`,
    `  children?: ReactNode;`,
    `  /** Visual weight. */`,
    `  variant?: 'solid' | 'subtle';`,
    `  /** Extra styles, merged last. */`,
    `  style?: CSSProperties;`,
    `}`,
    ``,
    `export function ${n}({ children, variant = 'solid', style }: ${n}Props) {`,
    `  const solid = variant === 'solid';`,
    `  return (`,
    `    <div`,
    `      data-component="${n}"`,
    `      style={{`,
    `        background: solid ? 'var(${background})' : 'transparent',`,
    `        color: 'var(${foreground})',`,
    `        padding: 'var(${space})',`,
    `        borderRadius: 'var(${radius})',`,
    `        ...style,`,
    `      }}`,
    `    >`,
    `      {children}`,
    `    </div>`,
    `  );`,
    `}`,
    `=== props.json`,
    JSON.stringify(
      {
        children: { type: 'ReactNode', required: false },
        variant: { type: "'solid' | 'subtle'", default: 'solid' },
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
    `Uses \`${background}\`, \`${foreground}\`, \`${space}\` and \`${radius}\` from the design system.`,
    `=== ${n}.stories.tsx`,
    `import type { Meta, StoryObj } from '@storybook/react';`,
    `import { ${n} } from './${n}';`,
    ``,
    `const meta: Meta<typeof ${n}> = { title: 'Generated/${n}', component: ${n} };`,
    `export default meta;`,
    ``,
    `export const Solid: StoryObj<typeof ${n}> = { args: { children: '${n}', variant: 'solid' } };`,
    `export const Subtle: StoryObj<typeof ${n}> = { args: { children: '${n}', variant: 'subtle' } };`,
    ``,
  ].join('\n');
}

/** The template provider, streamed line by line so collaborators watch it appear. */
export function templateProvider(): AiProvider {
  return {
    name: 'template',
    model: 'ensemble-template-1',
    async generate(request, onText) {
      const text = renderTemplate(request.spec);
      for (const line of text.split(/(?<=\n)/)) await onText(line);
      return text;
    },
  };
}
