// The SDK's build (scripts/build-sdk.mjs): ES modules that share one core and leave the peers to
// the app, a self-contained browser module, and declarations an app's compiler can read.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS } from '../../src/utils/errors.ts';
import { REFUSED } from '../../sdk/src/document.ts';
import { SERVER_ERROR_CODES } from '../../sdk/src/error-codes.ts';
import { REFUSAL_CODES } from '../../src/websocket/refusal-tally.ts';

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));

describe('sdk build', () => {
  it('types every error code of the server’s table', () => {
    expect([...SERVER_ERROR_CODES].sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('never sends again what the server refused and reverted (a refused branch edit was retried forever)', () => {
    expect([...REFUSAL_CODES].filter((code) => !REFUSED.has(code))).toEqual([]);
  });

  it('bundles modules without their peers, a browser module with them, and declarations', () => {
    // Inside the checkout, so the modules' bare imports resolve to the project's node_modules.
    const out = mkdtempSync(join('sdk', '.build-test-'));
    try {
      execFileSync(process.execPath, ['scripts/build-sdk.mjs', out], { stdio: 'pipe' });
      const all = files(out);
      const modules = all.filter((f) => f.endsWith('.js') && !f.endsWith('ensemble.browser.js'));
      const code = modules.map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const peer of ['socket.io-client', 'yjs', 'y-protocols/awareness', 'react'])
        expect(code).toContain(`from "${peer}"`);
      expect(code).not.toMatch(/engine\.io-client|Yjs was already imported|function applyUpdate/); // peers stay external
      // The React bindings and the avatars use the same core chunk as the main entry: one EnsembleClient class.
      const chunkOf = (file: string) =>
        readFileSync(join(out, file), 'utf8').match(/from "(?:\.\.?\/)+chunks\/([^"]+)"/)?.[1];
      expect(chunkOf('index.js')).toBeDefined();
      expect(chunkOf('react/index.js')).toBe(chunkOf('index.js'));
      // The browser module carries exactly one Yjs (and exports it as `Y` for the page).
      const browser = readFileSync(join(out, 'ensemble.browser.js'), 'utf8');
      expect(browser.split('Yjs was already imported').length - 1).toBe(1);
      expect(browser).not.toMatch(/from\s*"[^".]/); // no bare imports left
      // Declarations import .js siblings, never .ts sources (TS5097 in apps).
      const declarations = all.filter((f) => f.endsWith('.d.ts'));
      expect(declarations.map((f) => f.slice(out.length + 1)).sort()).toEqual(
        expect.arrayContaining(['index.d.ts', 'react/index.d.ts', 'avatars.d.ts', 'browser.d.ts']),
      );
      for (const file of declarations) expect(readFileSync(file, 'utf8')).not.toMatch(/from '\.[^']*\.ts'/);
      // The module loads in plain Node with the app's copies of the peers, and works.
      const smoke = `
        const m = await import(${JSON.stringify(join(process.cwd(), out, 'index.js'))});
        const bytes = new Uint8Array([0, 1, 254, 255]);
        const client = new m.EnsembleClient({ url: 'http://127.0.0.1:9', token: 't', socket: { autoConnect: false } });
        console.log(JSON.stringify({ round: [...m.fromBase64(m.toBase64(bytes))], status: client.status, known: new m.EnsembleError('locked', 'x').code, unknown: new m.EnsembleError('made_up', 'x').code }));
        client.close();`;
      const printed = execFileSync(process.execPath, ['--input-type=module', '-e', smoke], { encoding: 'utf8' });
      expect(JSON.parse(printed)).toEqual({
        round: [0, 1, 254, 255],
        status: 'disconnected',
        known: 'locked',
        unknown: 'server_error',
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
