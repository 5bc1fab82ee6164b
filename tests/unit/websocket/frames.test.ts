import { describe, expect, it } from '@jest/globals';
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import { binaryFrame, socketIoAckFrame, socketIoEventFrame } from '../../../src/websocket/frames.ts';

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
    const payload = { docName: 'component:1', update, nested: { more: Buffer.from('xyz'), list: [1, new Uint8Array([7])] } };
    const [built] = socketIoEventFrame('doc-update', payload);
    const [reference, ...attachments] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['doc-update', payload] });
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
    frames.slice(1).forEach((f, i) => expect(f.body.equals(Buffer.from(attachments[i] as Uint8Array))).toBe(true));
    const decoded = new Promise((resolve) => {
      const decoder = new Decoder();
      decoder.on('decoded', resolve);
      decoder.add((frames[0] as { body: Buffer }).body.toString().slice(1));
      for (const f of frames.slice(1)) decoder.add(f.body);
    });
    // The decoder puts the attachments back and reports a plain EVENT.
    return expect(decoded).resolves.toMatchObject({ type: PacketType.EVENT, data: ['doc-update', { docName: 'component:1', update: Buffer.from(update) }] });
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
    expect(decoded).toMatchObject({ type: PacketType.ACK, id: 3, data: [{ ok: true, data: { state: Buffer.from([9, 8]) } }] });
  });
});
