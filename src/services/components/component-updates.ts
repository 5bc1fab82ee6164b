// REST updates of one component, written together. Concurrent PUTs of a component on a node queue
// behind the batch in flight and then go as one: the row read once, each update merged in order
// against the row as the update before it left it, the row written once. Each caller still gets its
// own answer — its version, its 409, its name conflict — as if the updates had run one by one; an
// update alone waits for nothing.
//
// A batch with an If-Match holds the row lock from the version check to the write (two statements
// more: BEGIN and COMMIT). One without reads the row unlocked — a merge needs no lock: a change that
// lands meanwhile is merged like a live edit — and writes it only if it did not move meanwhile; if
// it did, the row is materialised from the document under the lock, which holds every update.
import type { Component } from '../../models/db.ts';
import { canonical } from '../../utils/canonical-json.ts';
import { AppError } from '../../utils/errors.ts';
import { Failure, KeyedBatches } from '../../utils/keyed-batches.ts';
import { authorId, type Actor } from '../actor.ts';
import { readComponent, writeComponent, type ComponentContent } from '../documents/component-doc.ts';
import type { DocumentService } from '../documents/document.service.ts';
import { componentDoc } from '../documents/document-names.ts';
import { eventActor } from '../events/actor.ts';
import type { EventBus } from '../events/bus.ts';
import { type MergeBase, readMergeBase, type Tx } from './component-rows.ts';
import type { ComponentInput } from './components.service.ts';

export interface ComponentUpdate {
  actor: Actor;
  dsId: string;
  id: string;
  input: ComponentInput;
  /** If-Match: the version the writer read; another one turns the update into a 409. */
  expectedVersion?: number;
}

/** An update's answer: the row as it left it, and the version it started from. */
export interface UpdateOutcome {
  before: number;
  updated: Component;
}

/** What the batch needs from the component service: its database, transaction and row writes. */
export interface UpdateDeps {
  db: Tx;
  documents: DocumentService;
  events: EventBus;
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /** Writes the locked row from the document at `versionFor(content)` (the content it read). */
  writeRow: (
    tx: Tx,
    id: string,
    locked: { snapshot: Uint8Array | null },
    versionFor: (content: ComponentContent) => number,
  ) => Promise<Component>;
  /** The same without a lock, if the row is still as `base`; null when it moved. */
  writeRowIfUnchanged: (
    id: string,
    base: MergeBase,
    versionFor: (content: ComponentContent) => number,
  ) => Promise<Component | null>;
  /** Writes the row from the document under its lock (the fallback when it moved). */
  materialise: (id: string) => Promise<Component>;
}

/** One accepted update inside a batch: the version it started from and the content it left. */
interface Step {
  job: ComponentUpdate;
  before: number;
  content: ComponentContent;
}

const sameContent = (a: ComponentContent, b: ComponentContent) =>
  a.name === b.name &&
  a.category === b.category &&
  a.status === b.status &&
  a.code === b.code &&
  a.docs === b.docs &&
  canonical(a.props) === canonical(b.props);

export const nameTaken = () =>
  new AppError('conflict', 'A component with this name already exists in the design system');

/** Concurrent updates of each component: one row read and one row write per batch. */
export class ComponentUpdates {
  private readonly deps: UpdateDeps;
  private readonly batches: KeyedBatches<ComponentUpdate, UpdateOutcome>;

  constructor(deps: UpdateDeps) {
    this.deps = deps;
    this.batches = new KeyedBatches((_key, jobs) => this.write(jobs));
  }

  /** Runs one update with whatever else is waiting for the same component. */
  update(job: ComponentUpdate): Promise<UpdateOutcome> {
    return this.batches.run(`${job.dsId}/${job.id}`, job);
  }

  /** A batch: under the row lock when any update checks a version, else unlocked with a compare-and-set. */
  private write(jobs: ComponentUpdate[]): Promise<(UpdateOutcome | Failure)[]> {
    if (jobs.some((j) => j.expectedVersion !== undefined))
      return this.deps.transaction(async (tx) => {
        const { base, answers, steps } = await this.apply(tx, jobs, true);
        const last = steps.at(-1);
        if (!last) return answers as Failure[];
        const id = last.job.id;
        return outcomes(answers, steps, base, await this.deps.writeRow(tx, id, base, versionOfLast(steps, base)));
      });
    return (async () => {
      const { base, answers, steps } = await this.apply(this.deps.db, jobs, false);
      const last = steps.at(-1);
      if (!last) return answers as Failure[];
      const id = last.job.id;
      const row = await this.deps.writeRowIfUnchanged(id, base, versionOfLast(steps, base));
      if (row) return outcomes(answers, steps, base, row);
      // The row moved meanwhile: the document holds every update; the row is written from it.
      const materialised = await this.deps.materialise(id);
      return answers.map((a) => (a instanceof Failure ? a : { before: a.before, updated: materialised }));
    })();
  }

  /** Reads the merge base and applies the updates to the document, in order; what each did. */
  private async apply(
    tx: Tx,
    jobs: ComponentUpdate[],
    lock: boolean,
  ): Promise<{ base: MergeBase; answers: (Step | Failure)[]; steps: Step[] }> {
    const { dsId, id } = jobs[0] as ComponentUpdate;
    const base = await readMergeBase(tx, id, dsId, lock);
    const taken = await takenNames(tx, jobs);
    const answers: (Step | Failure)[] = [];
    let content = base.content;
    let version = base.version;
    // Consecutive updates of one actor share a Yjs transaction (the document records one author each).
    for (const run of runsByActor(jobs)) {
      await this.deps.documents.transact(componentDoc(id), (run[0] as ComponentUpdate).actor, (doc) => {
        for (const job of run) {
          const refusal = this.refusal(job, version, content, taken);
          if (refusal) {
            answers.push(new Failure(refusal));
            continue;
          }
          writeComponent(doc, job.input, content);
          const after = readComponent(doc);
          answers.push({ job, before: version, content: after });
          if (!sameContent(after, content)) version++;
          content = after;
        }
      });
    }
    return { base, answers, steps: answers.filter((a): a is Step => !(a instanceof Failure)) };
  }

  /** Why `job` cannot go on the row at `version` with content `base` (null: it can). */
  private refusal(job: ComponentUpdate, version: number, base: ComponentContent, taken: Set<string>): AppError | null {
    if (job.expectedVersion !== undefined && job.expectedVersion !== version) {
      const userId = authorId(job.actor);
      if (userId) {
        const conflictData = {
          reason: 'stale_write',
          yourVersion: job.expectedVersion,
          currentVersion: version,
          fields: Object.keys(job.input),
        };
        this.deps.events.publish(
          'conflict.detected',
          { userId, resourceId: job.id, conflictData },
          eventActor(job.actor),
        );
      }
      return new AppError('conflict', `The component is at version ${version}, not ${job.expectedVersion}`, {
        currentVersion: version,
      });
    }
    if (job.input.name !== undefined && job.input.name !== base.name && taken.has(job.input.name)) return nameTaken();
    return null;
  }
}

/**
 * The version of the row the last update writes: the document as it is then (it may hold live
 * edits that came in meanwhile), counted against the content before that update.
 */
function versionOfLast(steps: Step[], base: MergeBase): (final: ComponentContent) => number {
  const last = steps.at(-1) as Step;
  const beforeLast = steps.at(-2)?.content ?? base.content;
  return (final) => last.before + (sameContent(final, beforeLast) ? 0 : 1);
}

/** Each update's answer: the last one the row as written, the others the row as they left it. */
function outcomes(
  answers: (Step | Failure)[],
  steps: Step[],
  base: MergeBase,
  row: Component,
): (UpdateOutcome | Failure)[] {
  const last = steps.at(-1);
  return answers.map((a) => {
    if (a instanceof Failure) return a;
    if (a === last) return { before: a.before, updated: row };
    const version = steps[steps.indexOf(a) + 1]?.before ?? a.before;
    return {
      before: a.before,
      updated: {
        ...row,
        ...columnsOf(a.content),
        version,
        updatedAt: version === base.version ? base.updatedAt : row.updatedAt,
      },
    };
  });
}

/** The names the updates ask for that another component of the design system has. */
async function takenNames(tx: Tx, jobs: ComponentUpdate[]): Promise<Set<string>> {
  const { dsId, id } = jobs[0] as ComponentUpdate;
  const wanted = [...new Set(jobs.flatMap((j) => (j.input.name === undefined ? [] : [j.input.name])))];
  if (!wanted.length) return new Set();
  const rows = await tx.component.findMany({
    where: { designSystemId: dsId, name: { in: wanted }, NOT: { id } },
    select: { name: true },
  });
  return new Set(rows.map((r) => r.name));
}

/** Splits jobs into runs of consecutive jobs by the same actor, in order. */
function runsByActor(jobs: ComponentUpdate[]): ComponentUpdate[][] {
  const runs: ComponentUpdate[][] = [];
  for (const job of jobs) {
    const run = runs.at(-1);
    if (run && sameActor((run[0] as ComponentUpdate).actor, job.actor)) run.push(job);
    else runs.push([job]);
  }
  return runs;
}

const sameActor = (a: Actor, b: Actor) =>
  a === b ||
  (a.kind === 'user' && b.kind === 'user' && a.userId === b.userId) ||
  (a.kind === 'apiKey' && b.kind === 'apiKey' && a.apiKeyId === b.apiKeyId);

/** The row columns of a content. */
const columnsOf = (c: ComponentContent) => ({
  name: c.name,
  category: c.category,
  status: c.status,
  code: c.code,
  documentation: c.docs,
  props: c.props as Component['props'],
});
