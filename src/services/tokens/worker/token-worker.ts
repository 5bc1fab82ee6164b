// The worker thread's entry: runs one task per message (tasks.ts) and answers with its result or
// its error as data (errors.ts). One task at a time; the pool queues the rest.
import { parentPort } from 'node:worker_threads';
import { toWire } from './errors.ts';
import type { TaskRequest, TaskResponse } from './protocol.ts';
import { TASKS } from './tasks.ts';

const port = parentPort;
if (!port) throw new Error('token-worker.ts runs as a worker thread');

port.on('message', async ({ id, task, args }: TaskRequest) => {
  let response: TaskResponse;
  try {
    const run = TASKS[task] as (...a: unknown[]) => unknown;
    response = { id, ok: true, result: await run(...args) };
  } catch (err) {
    response = { id, ok: false, error: toWire(err) };
  }
  port.postMessage(response);
});
