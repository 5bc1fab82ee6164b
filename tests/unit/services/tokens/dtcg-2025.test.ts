// DTCG 2025.10 (issue 17 item 5): group `$extends`, JSON-pointer `$ref` aliases, `$root` tokens and
// a lossless round trip (DTCG out equals DTCG in, no inherited `$type` written onto tokens).
import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import JSON5 from 'json5';
import { cssVariables, PRIMER, readTree } from './helpers.ts';
import { primerTokens } from './primer-themes.ts';

const load = (data: unknown) => importTokenFiles([{ path: 'tokens.json', content: JSON.stringify(data) }]);
const css = async (data: unknown) => {
  const { tokens, problems } = load(data);
  expect(problems).toEqual([]);
  return Object.fromEntries(
    [...cssVariables((await exportTokens(tokens, 'css')).content)].map(([name, values]) => [name, values[0]]),
  );
};
const roundTrip = async (data: unknown) => {
  const { tokens, groups, problems } = load(data);
  expect(problems).toEqual([]);
  return JSON.parse((await exportTokens(tokens, 'dtcg', { groups })).content);
};

const extending = {
  button: {
    $type: 'color',
    $description: 'a button',
    bg: { $value: '#0000ff' },
    fg: { $value: '#ffffff' },
    border: { width: { $type: 'dimension', $value: { value: 1, unit: 'px' } } },
  },
  danger: { $extends: '{button}', bg: { $value: '#ff0000' } },
  quiet: { $extends: '#/danger', fg: { $value: '#888888' } },
};

describe('$extends (group inheritance)', () => {
  it('gives the extending group the tokens of the group it names, its own ones winning', async () => {
    expect(await css(extending)).toMatchObject({
      '--danger-bg': '#ff0000',
      '--danger-fg': '#ffffff',
      '--danger-border-width': '1px',
      // A JSON pointer names a group too, and inheritance goes down chains.
      '--quiet-bg': '#ff0000',
      '--quiet-fg': '#888888',
      '--quiet-border-width': '1px',
    });
  });

  it('is written back as $extends, the inherited tokens not copied out', async () => {
    expect(await roundTrip(extending)).toEqual(extending);
  });

  it('refuses a group that does not exist and a cycle, naming the group', () => {
    expect(load({ a: { $extends: '{nope}', x: { $type: 'number', $value: 1 } } }).problems).toMatchObject([
      { path: 'a', code: 'broken_alias', message: '$extends {nope}: no such group' },
    ]);
    const cycle = load({ a: { $extends: '{b}', x: { $type: 'number', $value: 1 } }, b: { $extends: '{a}' } });
    expect(cycle.problems.map((p) => [p.path, p.code])).toEqual([
      ['a', 'alias_cycle'],
      ['b', 'alias_cycle'],
    ]);
  });
});

const pointers = {
  color: {
    $type: 'color',
    base: { red: { $value: { colorSpace: 'srgb', components: [1, 0, 0], hex: '#ff0000' } } },
    danger: { $value: { $ref: '#/color/base/red' } },
  },
  border: {
    danger: {
      $type: 'border',
      $value: { color: { $ref: '#/color/danger' }, width: { value: 2, unit: 'px' }, style: 'solid' },
    },
  },
};

describe('$ref (JSON pointer aliases)', () => {
  it('resolves a pointer to a token like an alias, also inside a composite', async () => {
    expect(await css(pointers)).toMatchObject({ '--color-danger': '#ff0000', '--border-danger': '2px solid #ff0000' });
  });

  it('keeps the pointers in the DTCG export', async () => {
    expect(await roundTrip(pointers)).toEqual(pointers);
  });

  it('says why a pointer cannot be followed', () => {
    const { problems } = load({
      c: {
        $type: 'color',
        a: { $value: '#ff0000' },
        b: { $value: { $ref: '#/c/missing' } },
        d: { $value: { $ref: 'c/a' } },
      },
    });
    expect(problems.map((p) => [p.path, p.code, p.message])).toEqual([
      ['c.d', 'invalid_value', '$ref "c/a" is not a JSON pointer into this document (#/…)'],
      ['c.b', 'broken_alias', '{c.missing} does not exist'],
    ]);
  });
});

const rooted = {
  accent: {
    $type: 'color',
    $root: { $value: '#0969da' },
    muted: { $value: '#0969da66' },
  },
  link: { $type: 'color', $value: '{accent.$root}' },
};

describe('$root', () => {
  it('names the group’s own token after the group (--accent), {accent.$root} naming it', async () => {
    expect(await css(rooted)).toEqual({ '--accent': '#0969da', '--accent-muted': '#0969da66', '--link': '#0969da' });
  });

  it('round-trips without writing the group’s $type onto the $root token', async () => {
    expect(await roundTrip(rooted)).toEqual(rooted);
  });
});

describe('Primer sources round trip', () => {
  it('exports each of Primer’s DTCG files as it was imported (overrides, alpha, $extensions, types)', async () => {
    const files = readTree(`${PRIMER}/src/tokens/functional`, '.json5').concat(
      readTree(`${PRIMER}/src/tokens/component`, '.json5'),
    );
    expect(files.length).toBeGreaterThan(20);
    const existing = primerTokens();
    for (const file of files) {
      const { tokens, groups, problems } = importTokenFiles([file], { existing });
      expect(problems).toEqual([]);
      const out = JSON.parse((await exportTokens(tokens, 'dtcg', { groups })).content);
      expect({ file: file.path, out }).toEqual({ file: file.path, out: JSON5.parse(file.content) });
    }
  }, 120_000);
});
