// Time-ordered row ids (UUID version 7, RFC 9562 §6.2 method 1: a 12-bit counter after the
// millisecond). The feed sorts by (createdAt desc, id desc), and events of one request are often
// published in the same millisecond: with random v4 ids their order in the feed was a coin toss;
// ids that ascend in the order rows are queued list them newest first.
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** A UUIDv7 greater than every earlier one from this process. */
export function orderedId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    counter++;
    // 4096 ids in one millisecond: borrow the next one, as the RFC allows.
    if (counter > 0xfff) {
      ms++;
      counter = 0;
    }
  } else {
    counter = 0;
  }
  lastMs = ms;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
