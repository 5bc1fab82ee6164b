// A small pool of worker threads for token imports and exports, so a 50,000-token file is parsed,
// validated and built by Style Dictionary without holding up every other request on this node.
// Threads start on first use and stop after `idleMs` without work (a Style Dictionary worker holds
// ~100 MB); an idle thread never keeps the process alive. A thread that dies (a crash, the memory
// cap) fails only its own task and is replaced on the next one.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../utils/errors.ts';
import { fromWire } from './errors.ts';
import type { TaskRequest, TaskResponse } from './protocol.ts';
import type { TaskName, TokenTasks } from './tasks.ts';

export interface TokenPoolOptions {
  /** Worker threads at most. */
  size: number;
  /** A thread without work for this long is stopped. */
  idleMs: number;
  /** V8 old-space cap of each thread, in MB (a thread past it dies and its task is refused). */
  maxMemoryMb?: number;
}

interface Pending {
  request: TaskRequest;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

const ENTRY = new URL('./token-worker.ts', import.meta.url);

/**
 * Whatever a worker posts is deserialised in Node's main realm. Under Jest the code runs in another
 * realm, where Yjs refuses such objects (their constructor is another `Object`); the test setup's
 * structuredClone (tests/support/setup-realm.ts) rebuilds them here. In a plain process this is a no-op.
 */
function toThisRealm<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) === Object.prototype) return value;
  return structuredClone(value);
}

/** Runs token tasks on worker threads, first come first served. */
export class TokenWorkerPool {
  private readonly options: TokenPoolOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Tasks a worker thread answered so far (for tests and metrics). */
  completed = 0;

  constructor(options: TokenPoolOptions) {
    this.options = { ...options, size: Math.max(1, options.size) };
  }

  /** Runs `task` on a worker thread. */
  run<K extends TaskName>(task: K, ...args: TokenTasks[K]['args']): Promise<TokenTasks[K]['result']> {
    if (this.closed) return Promise.reject(new AppError('service_unavailable', 'The token workers are shut down'));
    return new Promise((resolve, reject) => {
      this.queue.push({
        request: { id: this.nextId++, task, args },
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.dispatch();
    });
  }

  /** Threads running now (for tests and metrics). */
  get threads(): number {
    return this.slots.length;
  }

  /** Stops every thread; queued and running tasks are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0))
      pending.reject(new AppError('service_unavailable', 'The token workers are shut down'));
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot)));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.options.size) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift()!;
      clearTimeout(slot.idleTimer);
      slot.busy = pending;
      slot.worker.ref();
      slot.worker.postMessage(pending.request);
    }
  }

  private spawn(): Slot {
    const limits = this.options.maxMemoryMb
      ? { resourceLimits: { maxOldGenerationSizeMb: this.options.maxMemoryMb } }
      : {};
    const worker = new Worker(ENTRY, limits);
    const slot: Slot = { worker, busy: undefined, idleTimer: undefined };
    worker.on('message', (response: TaskResponse) => this.settle(slot, response));
    worker.on('error', (err: Error & { code?: string }) => this.fail(slot, err));
    worker.on('exit', (code) => this.fail(slot, new Error(`token worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, response: TaskResponse): void {
    const pending = slot.busy;
    if (!pending || pending.request.id !== response.id) return;
    slot.busy = undefined;
    this.completed++;
    if (response.ok) pending.resolve(toThisRealm(response.result));
    else pending.reject(fromWire(toThisRealm(response.error)));
    this.idle(slot);
    this.dispatch();
  }

  /** A thread that errs or exits is dropped; its task (if any) is refused, the queue goes on. */
  private fail(slot: Slot, err: Error & { code?: string }): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    clearTimeout(slot.idleTimer);
    void slot.worker.terminate();
    const pending = slot.busy;
    slot.busy = undefined;
    if (pending) {
      pending.reject(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AppError(
              'payload_too_large',
              `The token files need more than the ${this.options.maxMemoryMb} MB a token worker may use`,
            )
          : err,
      );
    }
    if (!this.closed) this.dispatch();
  }

  private idle(slot: Slot): void {
    slot.worker.unref();
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.busy) return;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      void this.stop(slot);
    }, this.options.idleMs);
    slot.idleTimer.unref();
  }

  private async stop(slot: Slot): Promise<void> {
    clearTimeout(slot.idleTimer);
    slot.worker.removeAllListeners('exit');
    slot.worker.removeAllListeners('error');
    slot.worker.on('error', () => undefined);
    await slot.worker.terminate();
  }
}
