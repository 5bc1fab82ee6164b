import { describe, expect, it } from '@jest/globals';
import { memoryRealtimeStore } from '../../../../src/models/realtime/realtime-store.ts';
import { LockService } from '../../../../src/services/realtime/locks.service.ts';

const claim = (userId: string, connectionId: string) => ({
  componentId: 'c1',
  designSystemId: 'ds1',
  userId,
  userName: userId,
  connectionId,
});
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('LockService.keep', () => {
  it('renews a lock the connection holds, and reports one that is gone as lost', async () => {
    const store = memoryRealtimeStore();
    const node = new LockService(store, 30_000);
    await node.acquire(claim('ann', 'a1'));
    expect(await node.keep('c1', 'a1')).toEqual({ kept: true, restored: false });
    await store.breakLease('lk:c1');
    expect(await node.keep('c1', 'a1')).toEqual({ kept: false, holder: null });
  });

  it('after Redis lost its data, the older claim wins on every node, whichever node restores first', async () => {
    const store = memoryRealtimeStore();
    const [nodeA, nodeB] = [new LockService(store, 30_000), new LockService(store, 30_000)];
    await nodeA.acquire(claim('ann', 'a1'));
    await store.breakLease('lk:c1'); // the data is gone
    await tick();
    // Bob took it in the moment before Ann's node put it back.
    expect((await nodeB.acquire(claim('bob', 'b1'))).acquired).toBe(true);
    expect(await nodeA.keep('c1', 'a1', true)).toEqual({ kept: true, restored: true });
    expect(await nodeB.keep('c1', 'b1', true)).toEqual({
      kept: false,
      holder: expect.objectContaining({ userId: 'ann' }),
    });
    expect((await nodeA.holder('c1'))?.userId).toBe('ann');
  });

  it('a newer claim does not take a lock from an older one', async () => {
    const store = memoryRealtimeStore();
    const [nodeA, nodeB] = [new LockService(store, 30_000), new LockService(store, 30_000)];
    await nodeB.acquire(claim('bob', 'b1'));
    await store.breakLease('lk:c1');
    await tick();
    await nodeA.acquire(claim('ann', 'a1'));
    // Bob's claim is the older one: restoring it takes the lock back from Ann.
    expect(await nodeB.keep('c1', 'b1', true)).toEqual({ kept: true, restored: true });
    expect(await nodeA.keep('c1', 'a1', true)).toEqual({
      kept: false,
      holder: expect.objectContaining({ userId: 'bob' }),
    });
  });

  it('a released or broken lock is not put back by a later restore', async () => {
    const store = memoryRealtimeStore();
    const node = new LockService(store, 30_000);
    await node.acquire(claim('ann', 'a1'));
    await node.release('c1', 'ann');
    expect(await node.keep('c1', 'a1', true)).toEqual({ kept: false, holder: null });
    await node.acquire(claim('ann', 'a2'));
    await node.breakLock('c1');
    expect(await node.keep('c1', 'a2', true)).toEqual({ kept: false, holder: null });
  });
});
