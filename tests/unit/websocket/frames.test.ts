import { describe, expect, it } from '@jest/globals';
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import { binaryFrame, socketIoEventFrame } from '../../../src/websocket/frames.ts';

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
});
