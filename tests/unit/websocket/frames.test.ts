import { describe, expect, it } from '@jest/globals';
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { binaryFrame, socketIoAckFrame, socketIoEventFrame, writeFrame } from '../../../src/websocket/frames.ts';

const bytes = (frame: readonly Buffer[]) => Buffer.concat(frame);

describe('pre-built WebSocket frames', () => {
  it('frames a binary message (FIN, opcode 2, unmasked) with the right length encoding', () => {
    expect([...bytes(binaryFrame(new Uint8Array([1, 2, 3])))]).toEqual([0x82, 3, 1, 2, 3]);
    const medium = bytes(binaryFrame(new Uint8Array(300)));
    expect([...medium.subarray(0, 4)]).toEqual([0x82, 126, 1, 44]);
    expect(medium.length).toBe(304);
    const large = bytes(binaryFrame(new Uint8Array(70_000)));
    expect(large[1]).toBe(127);
    expect(Number(large.readBigUInt64BE(2))).toBe(70_000);
  });

  it('writes a Socket.IO event exactly as socket.io-parser encodes it, behind the engine.io message type', () => {
    const payload = { docName: 'component:1', update: Buffer.from('hello').toString('base64'), note: 'é "quoted"' };
    const frame = bytes(socketIoEventFrame('doc-update', payload));
    expect(frame[0]).toBe(0x81);
    const text = frame.subarray(2).toString();
    const [reference] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['doc-update', payload] });
    expect(text).toBe(`4${reference as string}`);
    const decoded = new Promise((resolve) => {
      const decoder = new Decoder();
      decoder.on('decoded', resolve);
      decoder.add(text.slice(1));
    });
    return expect(decoded).resolves.toMatchObject({ type: PacketType.EVENT, nsp: '/', data: ['doc-update', payload] });
  });

  it('writes a Socket.IO event with binary values as socket.io-parser encodes it: the text packet, then each attachment, in one buffer', () => {
    const update = new Uint8Array([0, 1, 2, 250, 255]);
    const payload = {
      docName: 'component:1',
      update,
      nested: { more: Buffer.from('xyz'), list: [1, new Uint8Array([7])] },
    };
    const [built] = socketIoEventFrame('doc-update', payload);
    const [reference, ...attachments] = new Encoder().encode({
      type: PacketType.EVENT,
      nsp: '/',
      data: ['doc-update', payload],
    });
    expect(attachments).toHaveLength(3);
    // Split the buffer back into its frames (unmasked, each under 64 KiB: a 7- or 16-bit length).
    const frames: { opcode: number; body: Buffer }[] = [];
    for (let at = 0; at < built.length; ) {
      const short = (built[at + 1] as number) & 0x7f;
      expect(short).toBeLessThan(127);
      const [length, header] = short === 126 ? [built.readUInt16BE(at + 2), 4] : [short, 2];
      frames.push({ opcode: (built[at] as number) & 0x0f, body: built.subarray(at + header, at + header + length) });
      at += header + length;
    }
    expect(frames.map((f) => f.opcode)).toEqual([1, 2, 2, 2]);
    expect(frames[0]?.body.toString()).toBe(`4${reference as string}`);
    for (const [i, f] of frames.slice(1).entries())
      expect(f.body.equals(Buffer.from(attachments[i] as Uint8Array))).toBe(true);
    const decoded = new Promise((resolve) => {
      const decoder = new Decoder();
      decoder.on('decoded', resolve);
      decoder.add((frames[0] as { body: Buffer }).body.toString().slice(1));
      for (const f of frames.slice(1)) decoder.add(f.body);
    });
    // The decoder puts the attachments back and reports a plain EVENT.
    return expect(decoded).resolves.toMatchObject({
      type: PacketType.EVENT,
      data: ['doc-update', { docName: 'component:1', update: Buffer.from(update) }],
    });
  });

  it('writes an acknowledgement as socket.io-parser encodes it, with its packet id, binary values as attachments', async () => {
    const plain = bytes(socketIoAckFrame(17, [{ ok: true }]));
    expect(plain.subarray(2).toString()).toBe('4317[{"ok":true}]');
    const [built] = socketIoAckFrame(3, [{ ok: true, data: { state: new Uint8Array([9, 8]) } }]);
    // A text frame `46` + `1-` + id + JSON with a placeholder, then the attachment's binary frame.
    const textLength = (built[1] as number) & 0x7f;
    const text = built.subarray(2, 2 + textLength).toString();
    expect(text).toBe('461-3[{"ok":true,"data":{"state":{"_placeholder":true,"num":0}}}]');
    const rest = built.subarray(2 + textLength);
    expect([...rest]).toEqual([0x82, 2, 9, 8]);
    const decoded = await new Promise((resolve) => {
      const decoder = new Decoder();
      decoder.on('decoded', resolve);
      decoder.add(text.slice(1));
      decoder.add(rest.subarray(2));
    });
    expect(decoded).toMatchObject({
      type: PacketType.ACK,
      id: 3,
      data: [{ ok: true, data: { state: Buffer.from([9, 8]) } }],
    });
  });

  it('sends what one tick writes to a connection in one go, in the order written, and uncorks at the end of the tick', async () => {
    const wss = new WebSocketServer({ port: 0 });
    try {
      const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
      const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
      const server = await accepted;
      await new Promise((resolve) => client.once('open', resolve));
      const received: string[] = [];
      const all = new Promise<void>((resolve) =>
        client.on('message', (data) => received.push(data.toString()) === 4 && resolve()),
      );
      const raw = (server as unknown as { _socket: { writableCorked: number } })._socket;
      expect(writeFrame(server, binaryFrame(Buffer.from('a')))).toBe(true);
      server.send(Buffer.from('b'));
      expect(writeFrame(server, binaryFrame(Buffer.from('c')))).toBe(true);
      expect(raw.writableCorked).toBe(1);
      await new Promise((resolve) => process.nextTick(resolve));
      expect(raw.writableCorked).toBe(0);
      writeFrame(server, binaryFrame(Buffer.from('d')));
      await all;
      expect(received).toEqual(['a', 'b', 'c', 'd']);
      client.terminate();
    } finally {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
