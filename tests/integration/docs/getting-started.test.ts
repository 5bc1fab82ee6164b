// docs/getting-started.md cannot rot: every shell block after "Start the server" runs, in order,
// in one bash, against a fresh server (addresses made unique so the worker's database may be reused).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ REDIS_URL: '' });
});
afterAll(() => server.close());

/** The ```sh blocks of a Markdown page from `fromHeading` on. */
function shellBlocks(markdown: string, fromHeading: string): string[] {
  const rest = markdown.slice(markdown.indexOf(fromHeading));
  return [...rest.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

describe('docs/getting-started.md', () => {
  it('runs as written', async () => {
    const page = readFileSync('docs/getting-started.md', 'utf8');
    const blocks = shellBlocks(page, '## 2.');
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const tag = randomBytes(4).toString('hex');
    const script = blocks
      .join('\n')
      .replace(/BASE=http:\/\/localhost:3000/g, `BASE=${server.url}`)
      .replace(/([a-z]+)@example\.com/g, `$1-${tag}@example.com`);
    // Asynchronously: the server answering the commands runs in this process.
    const { stdout: out } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
    expect(out).toContain('"name": "Ada"');
    expect(out).toMatch(/team [0-9a-f-]{36}/);
    expect(out).toContain('"role": "editor"');
    expect(out).toContain('"name": "Primer"');
    expect(out).not.toContain('null');
  });
});
