// Messages between the pool and a token worker.
import type { WireError } from './errors.ts';
import type { TaskName } from './tasks.ts';

export interface TaskRequest {
  id: number;
  task: TaskName;
  args: unknown[];
}

export type TaskResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WireError };
