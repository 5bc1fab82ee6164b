// Builds the npm package of a design system version: tokens through Style Dictionary (CSS with a
// block per mode, SCSS, JS with declarations, JSON, DTCG), components compiled to ESM JavaScript with type declarations,
// package.json, README and CHANGELOG. The result is a map of path → content.
import { transform } from 'esbuild';
import { exportTokens } from '../tokens/export/index.ts';
import { listModes, type ModeFallbacks } from '../tokens/modes.ts';
import type { TokenMap, TokenTheme } from '../tokens/token.types.ts';

export interface PackageInput {
  name: string;
  version: string;
  description: string;
  tokens: TokenMap;
  /** Tokens Studio themes and mode fallbacks: the modes of tokens.css and what each falls back to. */
  themes?: TokenTheme[];
  modeFallbacks?: ModeFallbacks;
  components: { name: string; code: string; documentation: string }[];
  changelog: string;
}

/** Exported interfaces and types of a component, with the type imports they need, as a .d.ts. */
export function declarations(code: string, name: string): string {
  const typeImports = code.match(/^import\s+type\s+[^;]+;$/gm) ?? [];
  const blocks: string[] = [];
  const pattern = /^export\s+(interface|type)\s+\w+/gm;
  for (let m = pattern.exec(code); m; m = pattern.exec(code)) {
    let i = code.indexOf(m[1] === 'interface' ? '{' : '=', m.index);
    if (m[1] === 'interface') {
      let depth = 0;
      for (; i < code.length; i++) {
        if (code[i] === '{') depth++;
        else if (code[i] === '}' && --depth === 0) break;
      }
      blocks.push(code.slice(m.index, i + 1));
    } else {
      blocks.push(code.slice(m.index, code.indexOf(';', i) + 1));
    }
  }
  const functions = [...code.matchAll(/^export\s+function\s+(\w+)\s*\(/gm)].map(
    (f) => `export declare function ${f[1]}(props: ${f[1]}Props): import('react').JSX.Element;`,
  );
  return [...typeImports, ...blocks, ...functions, '']
    .join('\n\n')
    .replace(new RegExp(`${name}Props\\b`, 'g'), `${name}Props`);
}

/** Every file of the package, under `package/` as npm expects. */
export async function buildPackage(input: PackageInput): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  // With modes, the CSS carries each of them as a [data-color-mode] block after the defaults, a
  // mode with a fallback holding what it takes from it (dark-dimmed: dark's values where it has none).
  const { themes = [], modeFallbacks = {} } = input;
  const hasModes = listModes(input.tokens.values(), themes, modeFallbacks).length > 0;
  const [css, scss, js, json, dtcg] = await Promise.all(
    (['css', 'scss', 'js', 'json', 'dtcg'] as const).map((f) =>
      exportTokens(input.tokens, f, f === 'css' && hasModes ? { modes: 'all', themes, modeFallbacks } : {}),
    ),
  );
  files.set('tokens/tokens.css', (css as { content: string }).content);
  files.set('tokens/tokens.scss', (scss as { content: string }).content);
  files.set('tokens/tokens.js', (js as { content: string }).content);
  const names = [...(js as { content: string }).content.matchAll(/^export const (\w+)\s*=/gm)].map((m) => m[1]);
  files.set(
    'tokens/tokens.d.ts',
    `${names.map((name) => `export declare const ${name}: string | number;`).join('\n')}\n`,
  );
  files.set('tokens/tokens.json', (json as { content: string }).content);
  files.set('tokens/tokens.dtcg.json', (dtcg as { content: string }).content);

  const index: string[] = [];
  const indexTypes: string[] = [];
  for (const c of input.components) {
    const { code } = await transform(c.code, {
      loader: 'tsx',
      jsx: 'automatic',
      format: 'esm',
      target: 'es2020',
      sourcefile: `${c.name}.tsx`,
    });
    files.set(`components/${c.name}.js`, code);
    files.set(`components/${c.name}.d.ts`, declarations(c.code, c.name));
    index.push(`export * from './components/${c.name}.js';`);
    indexTypes.push(`export * from './components/${c.name}.js';`);
  }
  index.push(`export * as tokens from './tokens/tokens.js';`);
  indexTypes.push(`export * as tokens from './tokens/tokens.js';`);
  files.set('index.js', `${index.join('\n')}\n`);
  files.set('index.d.ts', `${indexTypes.join('\n')}\n`);

  const pkg = {
    name: input.name,
    version: input.version,
    description: input.description,
    type: 'module',
    main: './index.js',
    types: './index.d.ts',
    exports: {
      '.': { types: './index.d.ts', import: './index.js' },
      './tokens': { types: './tokens/tokens.d.ts', import: './tokens/tokens.js' },
      './tokens.css': './tokens/tokens.css',
      './tokens.scss': './tokens/tokens.scss',
      './tokens.json': './tokens/tokens.json',
      './components/*': { types: './components/*.d.ts', import: './components/*.js' },
    },
    sideEffects: ['*.css'],
    ...(input.components.length ? { peerDependencies: { react: '>=18' } } : {}),
    license: 'UNLICENSED',
  };
  files.set('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  files.set(
    'README.md',
    [
      `# ${input.name}`,
      '',
      input.description,
      '',
      '```js',
      `import '${input.name}/tokens.css';`,
      `import { tokens${input.components[0] ? `, ${input.components[0].name}` : ''} } from '${input.name}';`,
      '```',
      '',
      '## Components',
      '',
      ...input.components.map((c) => `- \`${c.name}\``),
      '',
    ].join('\n'),
  );
  files.set('CHANGELOG.md', `# Changelog\n\n${input.changelog}`);
  return files;
}
