// The SDK's build (scripts/build-sdk.mjs) produces one ES module that works with the app's own
// socket.io-client and yjs.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

describe('sdk build', () => {
  it('bundles the SDK without its peer dependencies', () => {
    // Inside the checkout, so the bundle's bare imports resolve to the project's node_modules.
    const out = mkdtempSync(join('sdk', '.build-test-'));
    try {
      execFileSync(process.execPath, ['scripts/build-sdk.mjs', out], { stdio: 'pipe' });
      const bundle = readFileSync(join(out, 'index.js'), 'utf8');
      expect(bundle).toMatch(/from "socket\.io-client"/);
      expect(bundle).toMatch(/from "yjs"/);
      for (const name of ['EnsembleClient', 'LiveDocument', 'DesignSystemRoom', 'EnsembleError', 'toBase64', 'fromBase64']) expect(bundle).toMatch(new RegExp(`\\b${name}\\b`));
      expect(bundle).not.toMatch(/engine\.io-client|function applyUpdate/); // peers stay external
      // The bundle loads in plain Node with the app's copies of the peers, and works.
      const smoke = `
        const m = await import(${JSON.stringify(join(process.cwd(), out, 'index.js'))});
        const bytes = new Uint8Array([0, 1, 254, 255]);
        const client = new m.EnsembleClient({ url: 'http://127.0.0.1:9', token: 't', socket: { autoConnect: false } });
        console.log(JSON.stringify({ round: [...m.fromBase64(m.toBase64(bytes))], connected: client.socket.connected, error: new m.EnsembleError('locked', 'x').code }));`;
      const printed = execFileSync(process.execPath, ['--input-type=module', '-e', smoke], { encoding: 'utf8' });
      expect(JSON.parse(printed)).toEqual({ round: [0, 1, 254, 255], connected: false, error: 'locked' });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
