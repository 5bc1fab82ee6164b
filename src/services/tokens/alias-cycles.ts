// Alias cycles of a whole token map in one pass (Tarjan's strongly connected components, iterative):
// linear in tokens and references, where checking each token's own reachable set was cubic on a
// long chain (2,000 links took 31 s). Every token on a cycle gets one cycle through it to explain.
import { referencesIn } from './aliases.ts';
import type { Token } from './token.types.ts';

/** Members of a component larger than this that are not on its first cycle are named without a path. */
const MAX_EXPLAINED = 1000;

/** For every token reached from `starts` that lies on a reference cycle: one cycle through it, from it back to it. */
export function aliasCycles(
  starts: Iterable<string>,
  lookup: (path: string) => Token | undefined,
): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  const edgesOf = (path: string): string[] => {
    let out = edges.get(path);
    if (!out) {
      const token = lookup(path);
      out = token ? [...new Set(referencesIn(token.$value))].filter((next) => lookup(next) !== undefined) : [];
      edges.set(path, out);
    }
    return out;
  };
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of starts) {
    if (index.has(start)) continue;
    // Each frame: a node and how many of its edges were followed.
    const frames: [string, number][] = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (frames.length) {
      const frame = frames[frames.length - 1] as [string, number];
      const [node, next] = frame;
      const out = edgesOf(node);
      if (next < out.length) {
        frame[1]++;
        const to = out[next] as string;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          frames.push([to, 0]);
        } else if (onStack.has(to)) {
          low.set(node, Math.min(low.get(node) as number, index.get(to) as number));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0]) as number, low.get(node) as number));
      if (low.get(node) === index.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || edgesOf(node).includes(node)) components.push(component);
      }
    }
  }
  const cycles = new Map<string, string[]>();
  for (const component of components) explain(component, edgesOf, cycles);
  return cycles;
}

/** Finds one cycle in the component, rotates it for its members, and searches paths for the rest. */
function explain(component: string[], edgesOf: (path: string) => string[], cycles: Map<string, string[]>): void {
  const members = new Set(component);
  const first = component[0] as string;
  const cycle = pathBack(first, members, edgesOf) ?? [first, first];
  const ring = cycle.slice(0, -1);
  ring.forEach((path, i) => {
    cycles.set(path, [...ring.slice(i), ...ring.slice(0, i), path]);
  });
  for (const path of component) {
    if (cycles.has(path)) continue;
    cycles.set(
      path,
      component.length > MAX_EXPLAINED
        ? [path, `(one of ${component.length} tokens referring to each other)`, path]
        : (pathBack(path, members, edgesOf) ?? [path, path]),
    );
  }
}

/** The shortest path from `from` back to itself inside `members` (breadth-first), or null. */
function pathBack(from: string, members: Set<string>, edgesOf: (path: string) => string[]): string[] | null {
  const parent = new Map<string, string>();
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const to of edgesOf(node)) {
      if (!members.has(to)) continue;
      if (to === from) {
        const path = [from];
        for (let at: string | undefined = node; at !== undefined && at !== from; at = parent.get(at)) path.push(at);
        path.push(from);
        return path.reverse();
      }
      if (parent.has(to)) continue;
      parent.set(to, node);
      queue.push(to);
    }
  }
  return null;
}
