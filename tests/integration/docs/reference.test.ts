// The reference docs cannot fall behind the code: every error code of the one error table is in
// docs/api.md's table under its own HTTP status, and every setting config.ts reads is in
// docs/configuration.md.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigSchema } from '../../../src/config/config.ts';
import { ERRORS } from '../../../src/utils/errors.ts';

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8');

describe('reference docs', () => {
  it('list every error code under its status', () => {
    const api = read('docs/api.md');
    const table = api.slice(api.indexOf('## Errors'), api.indexOf('\n## ', api.indexOf('## Errors') + 1));
    const rows = new Map<number, string>();
    for (const [, status, codes] of table.matchAll(/^\| (\d{3}) \| (.*) \|$/gm))
      rows.set(Number(status), codes as string);
    const misplaced = Object.entries(ERRORS)
      .filter(([code, { status }]) => !rows.get(status)?.includes(`\`${code}\``))
      .map(([code, { status }]) => `${status} ${code}`);
    expect(misplaced).toEqual([]);
  });

  it('describe every setting', () => {
    const doc = read('docs/configuration.md');
    expect(Object.keys(ConfigSchema.shape).filter((key) => !doc.includes(`\`${key}\``))).toEqual([]);
  });
});
