import { describe, expect, it } from '@jest/globals';
import { exportTokens } from '../../../../src/services/tokens/export/index.ts';
import { importTokenFiles } from '../../../../src/services/tokens/import/index.ts';
import { cssVariables, PRIMER, readTree, resolveVars } from './helpers.ts';

describe('Primer primitives (DTCG 2025.10 JSON5)', () => {
  it('imports every source file without a problem', () => {
    const files = readTree(`${PRIMER}/src/tokens`, '.json5');
    expect(files.length).toBeGreaterThan(50);
    const result = importTokenFiles(files);
    expect(result.format).toBe('dtcg');
    expect(result.problems).toEqual([]);
    expect(result.tokens.size).toBeGreaterThan(1000);
    expect(result.tokens.get('base.size.16')).toMatchObject({ $type: 'dimension', $value: { value: 16, unit: 'px' } });
    // Group-level $type is inherited; a token-level `alpha` sibling is kept.
    expect(result.tokens.get('base.duration.200')?.$type).toBe('duration');
  });

  it("exports size and spacing CSS that matches Primer's own dist/css variable by variable", async () => {
    // base/size + functional/size + functional/spacing form a self-contained set (no colors needed).
    const sources = [
      ...readTree(`${PRIMER}/src/tokens/base/size`, '.json5'),
      ...readTree(`${PRIMER}/src/tokens/functional/size`, '.json5'),
      ...readTree(`${PRIMER}/src/tokens/functional/spacing`, '.json5'),
    ];
    const { tokens, problems } = importTokenFiles(sources);
    expect(problems).toEqual([]);
    const ours = cssVariables((await exportTokens(tokens, 'css', { remBase: 16 })).content);

    const dist = [
      ...readTree(`${PRIMER}/dist/css/base/size`, '.css'),
      ...readTree(`${PRIMER}/dist/css/functional/size`, '.css'),
      ...readTree(`${PRIMER}/dist/css/functional/spacing`, '.css'),
    ];
    const theirs = cssVariables(dist.map((f) => f.content).join('\n'));

    let compared = 0;
    let matched = 0;
    const mismatches: string[] = [];
    for (const [name, values] of ours) {
      const expected = theirs.get(name)?.map((v) => resolveVars(v, theirs));
      if (!expected) continue;
      compared += 1;
      if (values.some((v) => expected.includes(v))) matched += 1;
      else mismatches.push(`${name}: ours ${values.join(' | ')}, Primer ${expected.join(' | ')}`);
    }
    console.log(
      `Primer size+spacing CSS: ${matched} / ${compared} variables match (ours ${ours.size}, Primer ${theirs.size})`,
    );
    expect(compared).toBeGreaterThan(120);
    expect({ matched, mismatches }).toEqual({ matched: compared, mismatches: [] });
  });
});
