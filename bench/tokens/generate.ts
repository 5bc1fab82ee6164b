// A DTCG token file of `count` tokens shaped like a real design system's: a colour palette, a
// semantic layer of aliases onto it (some chained, some with alpha), spacing, radii, typography
// composites referring to font tokens, and shadows — in nested groups with `$type` on the groups.
// Deterministic, so runs compare.

const HUES = ['red', 'orange', 'yellow', 'green', 'teal', 'blue', 'indigo', 'purple', 'pink', 'gray'];
const ROLES = ['bg', 'fg', 'border', 'icon', 'focus', 'shadow'];
const STATES = ['default', 'muted', 'subtle', 'emphasis', 'hover', 'active', 'disabled'];

const hex = (n: number) => `#${((n * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(-6)}`;

/** The DTCG document (nested groups) with `count` tokens. */
export function generateTokens(count: number): Record<string, unknown> {
  const root: Record<string, Record<string, unknown>> = {};
  const put = (path: string[], token: Record<string, unknown>) => {
    let node: Record<string, unknown> = root;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path.at(-1)!] = token;
  };
  // Shares: 30 % palette, 40 % semantic aliases, 10 % spacing/radius, 10 % typography, 10 % shadows.
  const palette = Math.max(10, Math.floor(count * 0.3));
  const semantic = Math.floor(count * 0.4);
  const sizes = Math.floor(count * 0.1);
  const fonts = Math.floor(count * 0.1);
  const shadows = count - palette - semantic - sizes - fonts;
  const palettePaths: string[] = [];
  for (let i = 0; i < palette; i++) {
    const shade = Math.floor(i / HUES.length) % 10;
    const path = [
      'base',
      'color',
      `${HUES[i % HUES.length]}${Math.floor(i / (HUES.length * 10)) || ''}`,
      String(shade * 100 || 50),
    ];
    put(path, { $value: hex(i), $type: 'color' });
    palettePaths.push(path.join('.'));
  }
  const semanticPaths: string[] = [];
  for (let i = 0; i < semantic; i++) {
    const path = [
      'color',
      `${ROLES[i % ROLES.length]}${Math.floor(i / (ROLES.length * STATES.length)) || ''}`,
      STATES[Math.floor(i / ROLES.length) % STATES.length]!,
    ];
    // Every fourth points at an earlier semantic token (chains), the rest at the palette.
    const target =
      i % 4 === 3 && semanticPaths.length
        ? semanticPaths[(i * 7) % semanticPaths.length]!
        : palettePaths[(i * 13) % palettePaths.length]!;
    const token: Record<string, unknown> = { $value: `{${target}}`, $type: 'color' };
    if (i % 5 === 0) token.$description = `${path.join(' ')} colour`;
    put(path, token);
    semanticPaths.push(path.join('.'));
  }
  const sizePaths: string[] = [];
  for (let i = 0; i < sizes; i++) {
    const kind = i % 2 ? 'spacing' : 'radius';
    const path = ['size', kind, `step${Math.floor(i / 2)}`];
    const token =
      i >= 20 && i % 3 === 0
        ? { $value: `{${sizePaths[i % 20]}}`, $type: 'dimension' }
        : { $value: { value: (i % 40) * 2, unit: 'px' }, $type: 'dimension' };
    put(path, token);
    sizePaths.push(path.join('.'));
  }
  for (let i = 0; i < fonts; i++) {
    if (i % 2 === 0)
      put(['font', 'size', `s${i / 2}`], { $value: { value: 10 + (i % 30), unit: 'px' }, $type: 'dimension' });
    else {
      put(['text', 'style', `t${(i - 1) / 2}`], {
        $type: 'typography',
        $value: {
          fontFamily: ['Inter', 'sans-serif'],
          fontSize: `{font.size.s${(i - 1) / 2}}`,
          fontWeight: 400 + (i % 3) * 100,
          lineHeight: 1.5,
          letterSpacing: { value: 0, unit: 'px' },
        },
      });
    }
  }
  for (let i = 0; i < shadows; i++) {
    put(['shadow', `level${i}`], {
      $type: 'shadow',
      $value: {
        color: `{${palettePaths[i % palettePaths.length]}}`,
        offsetX: { value: 0, unit: 'px' },
        offsetY: { value: 1 + (i % 8), unit: 'px' },
        blur: { value: 2 + (i % 16), unit: 'px' },
        spread: { value: 0, unit: 'px' },
      },
    });
  }
  return root;
}

/** The file's text, as a team would commit it (2-space JSON). */
export function generateTokenFile(count: number): string {
  return `${JSON.stringify(generateTokens(count), null, 2)}\n`;
}
