import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { PgUpdateLog } from '../../../../src/models/documents/pg-update-log.ts';
import { buildComponent, buildCrew, buildDesignSystem } from '../../../support/factories.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { edit, yClient } from '../../../support/yjs-client.ts';

let server: TestServer;
let crew: Awaited<ReturnType<typeof buildCrew>>;
let ds: { id: string };
beforeAll(async () => {
  server = await startTestServer({
    MAX_DOC_UPDATE_BYTES: '65536',
    DOC_COMPACT_AFTER_UPDATES: '5',
    DOC_IDLE_UNLOAD_SECONDS: '1',
  });
  crew = await buildCrew(server);
  ds = await buildDesignSystem(server, crew.team, crew.editor);
});
afterAll(() => server.close());

const codeOf = (name: string) => server.services.documents.read(name, null, (d) => d.getText('code').toString());
const errorCode = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );

describe('DocumentService', () => {
  it('refuses malformed, empty and oversize updates and keeps the document intact', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'intact' });
    const name = `component:${c.id}`;
    const docs = server.services.documents;
    const origin = { actor: null, source: 'socket' as const };
    expect(await errorCode(docs.applyUpdate(name, new Uint8Array([1, 2, 3, 250, 251]), origin))).toBe('invalid_update');
    expect(await errorCode(docs.applyUpdate(name, new Uint8Array(0), origin))).toBe('invalid_update');
    const client = await yClient(server, name);
    const big = edit(client, (d) => d.getText('code').insert(0, 'x'.repeat(70_000)));
    expect(await errorCode(docs.applyUpdate(name, big, origin))).toBe('update_too_large');
    expect(await codeOf(name)).toBe('intact');
    const rows = await server.db.documentUpdate.count({ where: { docName: name } });
    const good = edit(await yClient(server, name), (d) => d.getText('code').insert(6, '!'));
    await docs.applyUpdate(name, good, origin);
    expect(await codeOf(name)).toBe('intact!');
    expect(await server.db.documentUpdate.count({ where: { docName: name } })).toBe(rows + 1);
  });

  it('refuses writes from viewers and outsiders like the policy does', async () => {
    const c = await buildComponent(server, ds.id, crew.editor);
    const name = `component:${c.id}`;
    const update = edit(await yClient(server, name), (d) => d.getText('code').insert(0, 'x'));
    const viewer = await server.services.authenticator.resolve(crew.viewer.accessToken);
    const outsider = await server.services.authenticator.resolve(crew.outsider.accessToken);
    expect(
      await errorCode(server.services.documents.applyUpdate(name, update, { actor: viewer, source: 'socket' })),
    ).toBe('forbidden');
    expect(
      await errorCode(server.services.documents.applyUpdate(name, update, { actor: outsider, source: 'socket' })),
    ).toBe('not_found');
    expect(await errorCode(server.services.documents.encodeState(name, outsider))).toBe('not_found');
    expect(await errorCode(server.services.documents.encodeState(name, viewer))).toBe('ok');
  });

  it('is durable: compacts the log, unloads idle documents, and reloads the same state', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    for (let i = 0; i < 12; i++) {
      const update = edit(await yClient(server, name), (d) =>
        d.getText('code').insert(d.getText('code').length, `${i};`),
      );
      await server.services.documents.applyUpdate(name, update, { actor: null, source: 'socket' });
    }
    const before = await codeOf(name);
    expect(before).toBe('0;1;2;3;4;5;6;7;8;9;10;11;');
    await server.services.documents.compact(name);
    const row = await server.db.document.findUniqueOrThrow({ where: { name } });
    expect(row.compactedThrough).toBeGreaterThan(0n);
    expect(await server.db.documentUpdate.count({ where: { docName: name } })).toBe(0);

    await new Promise((r) => setTimeout(r, 1100));
    expect(await server.services.documents.unloadIdle()).toBeGreaterThan(0);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, await server.services.documents.encodeState(name, null));
    expect(reloaded.getText('code').toString()).toBe(before);
  });

  it('compacts from the live copy and keeps log rows that copy does not hold', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const docs = server.services.documents;
    const writer = await yClient(server, name);
    for (const word of ['one ', 'two '])
      await docs.applyUpdate(
        name,
        edit(writer, (d) => d.getText('code').insert(d.getText('code').length, word)),
        { actor: null, source: 'socket' },
      );
    // A row another node committed whose announcement never arrived here.
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(writer));
    const foreign = edit(elsewhere, (d) => d.getText('code').insert(0, 'zero '));
    await server.db.documentUpdate.create({ data: { docName: name, update: Buffer.from(foreign) } });
    await docs.compact(name);
    const left = await server.db.documentUpdate.findMany({ where: { docName: name } });
    expect(left.map((r) => Buffer.from(r.update).equals(Buffer.from(foreign)))).toEqual([true]);
    // The next load applies the snapshot and the remaining row, so the copy now holds it.
    await new Promise((r) => setTimeout(r, 1100));
    await docs.unloadIdle();
    expect(await codeOf(name)).toBe('zero one two ');
    await docs.compact(name);
    expect(await server.db.documentUpdate.count({ where: { docName: name } })).toBe(0);
  });

  it('catches up before compacting when another node replaced the snapshot with updates it never received', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    const docs = server.services.documents;
    const writer = await yClient(server, name);
    await docs.applyUpdate(
      name,
      edit(writer, (d) => d.getText('code').insert(0, 'mine ')),
      { actor: null, source: 'socket' },
    );
    // Another node commits an update whose announcement never arrives here, then compacts.
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(writer));
    await server.db.documentUpdate.create({
      data: { docName: name, update: Buffer.from(edit(elsewhere, (d) => d.getText('docs').insert(0, 'theirs'))) },
    });
    const otherNode = new PgUpdateLog(server.config.DATABASE_URL as string, { poolSize: 1 });
    try {
      expect(await otherNode.compact(name)).toBeGreaterThanOrEqual(2);
    } finally {
      await otherNode.close();
    }
    expect(await server.db.documentUpdate.count({ where: { docName: name } })).toBe(0);
    // This node edits on, then compacts from its live copy: it must not drop the other node's update.
    await docs.applyUpdate(
      name,
      edit(writer, (d) => d.getText('code').insert(5, 'again')),
      { actor: null, source: 'socket' },
    );
    await docs.compact(name);
    expect(await server.services.documents.read(name, null, (d) => d.getText('docs').toString())).toBe('theirs');
    await new Promise((r) => setTimeout(r, 1100));
    await docs.unloadIdle();
    expect(await codeOf(name)).toBe('mine again');
    expect(await server.services.documents.read(name, null, (d) => d.getText('docs').toString())).toBe('theirs');
  });

  it('materialises live edits into the row after the debounce, bumping the version', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: 'a' });
    const name = `component:${c.id}`;
    const update = edit(await yClient(server, name), (d) => d.getText('code').insert(1, 'b'));
    await server.services.documents.applyUpdate(name, update, { actor: null, source: 'socket' });
    await server.services.materialiser.flush(name);
    const row = await server.db.component.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ code: 'ab', version: 2 });
  });
});

describe('PgUpdateLog group commit', () => {
  it('sends an update after a quiet spell at once, and starts statements at least a commit window apart', async () => {
    const c = await buildComponent(server, ds.id, crew.editor, { code: '' });
    const name = `component:${c.id}`;
    await server.services.documents.owner(name); // creates the document row
    const log = new PgUpdateLog(server.config.DATABASE_URL as string, { poolSize: 1, commitWindowMs: 1000 });
    const update = edit(await yClient(server, name), (d) => d.getText('code').insert(0, 'x'));
    try {
      const start = performance.now();
      await log.append(name, update, null);
      const first = performance.now() - start;
      expect(first).toBeLessThan(800);
      // The next statement may start only 1000 ms after the first did; both of these ride in it.
      const [a, b] = await Promise.all([log.append(name, update, null), log.append(name, update, null)]);
      expect(performance.now() - start).toBeGreaterThanOrEqual(995);
      expect(b).toBe(a + 1);
    } finally {
      await log.close();
    }
  });
});
