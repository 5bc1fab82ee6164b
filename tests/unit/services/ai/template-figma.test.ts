// The template built from a Figma node carries text others wrote in Figma (node, layer and variant
// names, a label's characters, the link): it must stay text, never become code, and must compile.
import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { transform } from 'esbuild';
import { checkComponent, parseOutput } from '../../../../src/services/ai/output.ts';
import { renderFigmaTemplate } from '../../../../src/services/ai/providers/template-figma.ts';
import type { FigmaSpec } from '../../../../src/services/figma/token-mapping.ts';

const EVIL = '*/ globalThis.pwned = 1; /*';
const variables = [
  { name: '--color-brand', type: 'color' },
  { name: '--space-2', type: 'dimension' },
];
const spec = (over: Partial<FigmaSpec>): FigmaSpec => ({
  url: 'https://www.figma.com/design/AbCdEfGhIj12/x?node-id=1-2',
  fileKey: 'AbCdEfGhIj12',
  nodeId: '1:2',
  version: '7',
  name: 'Button',
  type: 'COMPONENT',
  direction: 'row',
  label: 'Go',
  styles: { background: { figma: '#ff0000', variable: '--color-brand', token: 'color.brand', matchedBy: 'value' } },
  variants: null,
  properties: [],
  unmapped: [],
  ...over,
});

/**
 * The template's check result, and what running its code does: the module is loaded and the
 * component rendered once in a fresh context (JSX as plain calls), so injected code would run.
 */
async function codeOf(figma: FigmaSpec) {
  const text = renderFigmaTemplate({ name: 'Button', description: 'A button', variables, figma }, figma);
  const output = parseOutput(text, 'Button');
  const check = await checkComponent(output, 'Button', new Set(variables.map((v) => v.name)));
  const js = (await transform(output.code, { loader: 'tsx', format: 'cjs', jsx: 'transform', jsxFactory: 'h' })).code;
  const module = { exports: {} };
  const context: Record<string, unknown> = { module, h: (tag: string, props: unknown) => ({ tag, props }) };
  const rendered = runInNewContext(`${js}\nmodule.exports.Button({})`, context) as { props: { style: object } };
  return { check, ran: Object.keys(context), styleKeys: Object.keys(rendered.props.style) };
}

const CSS_KEYS = /^(display|flexDirection|alignItems|borderStyle|background|color|fontWeight|gap|padding\w+)$/;

describe('the Figma template provider', () => {
  it('keeps a node name that closes a comment inside the comment', async () => {
    const { check, ran } = await codeOf(spec({ name: `Button ${EVIL}` }));
    expect(check.problems).toEqual([]);
    expect(ran).not.toContain('pwned');
  });

  it('keeps a label and a variant property with comment closers and newlines as text', async () => {
    const { check, ran } = await codeOf(
      spec({
        label: `Sign\nup ${EVIL}`,
        variants: { property: `Kind ${EVIL}`, options: ['A\nB', "it's"], default: 'A\nB', styles: {} },
      }),
    );
    expect(check.problems).toEqual([]);
    expect(ran).not.toContain('pwned');
  });

  it('keeps a link with a comment closer in its path inside the comment', async () => {
    const { check, ran } = await codeOf(
      spec({ url: 'https://www.figma.com/design/AbCdEfGhIj12/x*/globalThis.pwned=1;/*?node-id=1-2' }),
    );
    expect(check.problems).toEqual([]);
    expect(ran).not.toContain('pwned');
  });

  it('writes a font weight only as a number', async () => {
    const weight = { figma: '1, pwned: 1', variable: null, token: null, matchedBy: null } as const;
    const { check, styleKeys } = await codeOf(spec({ styles: { ...spec({}).styles, fontWeight: weight } }));
    expect(check.problems).toEqual([]);
    expect(styleKeys.filter((k) => !CSS_KEYS.test(k))).toEqual([]);
  });
});
