import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import { SET_EXTENSION } from '../../../../src/services/tokens/token.types.ts';
import { readTree, SPECTRUM } from './helpers.ts';

const files = readTree(`${SPECTRUM}/src`, '.json');

describe('Adobe Spectrum tokens (legacy Style Dictionary with sets)', () => {
  it('asks for a set choice, naming the sets, when none is given', () => {
    const result = importTokenFiles(files);
    expect(result.format).toBe('style-dictionary');
    const setRequired = result.problems.filter((p) => p.code === 'set_required');
    expect(setRequired.map((p) => /choose one of: ([\w, -]+) \(/.exec(p.message)?.[1]).sort()).toEqual([
      'dark, light, wireframe',
      'desktop, mobile',
    ]);
    // Tokens that depend on a set are left out; aliases to them are not reported as broken.
    expect(result.problems.filter((p) => p.code !== 'set_required')).toEqual([]);
    expect(result.tokens.has('gray-100')).toBe(false);
  });

  it('imports cleanly with light + desktop chosen, and exports CSS', async () => {
    const result = importTokenFiles(files, { sets: ['light', 'desktop'] });
    expect(result.problems).toEqual([]);
    const spectrumTokens = Object.keys(files.reduce((all, f) => Object.assign(all, JSON.parse(f.content)), {}));
    expect(result.tokens.size).toBe(spectrumTokens.length);
    expect(result.tokens.get('gray-100')?.$extensions?.[SET_EXTENSION]).toBe('light');

    const light = JSON.parse(fs.readFileSync(`${SPECTRUM}/src/color-palette.json`, 'utf8'))['gray-100'].sets.light
      .value;
    expect(light).toBe('rgb(233, 233, 233)');
    const css = (await exportTokens(result.tokens, 'css', { outputReferences: true })).content;
    expect(css).toContain('--gray-100: #e9e9e9;');
    expect(css).toMatch(/--action-bar-border-color: var\(--transparent-white-25\);/);
  });
});
