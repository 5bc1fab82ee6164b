// Three-way merge of token files coming back from the repository. The base is each token as the
// base branch last had it from Ensemble's point of view (at connect, or the last import). A token the
// repository changed is applied when Ensemble left it alone since; when Ensemble changed it too (to
// something else) it is a conflict: reported, never overwritten.
import type { Token, TokenMap } from '../tokens/token.types.ts';
import { canonical } from '../../utils/canonical-json.ts';

/** Token path → token, as stored in the connection's sync base. */
export type SyncBase = Record<string, Token>;

export interface SyncConflict {
  path: string;
  /** The repository file the change came from. */
  file: string;
  /** As last synced (null: the token did not exist). */
  base: Token | null;
  /** In Ensemble now (null: deleted there). */
  ensemble: Token | null;
  /** In the repository now (null: deleted there). */
  repository: Token | null;
}

export interface MergePlan {
  writes: Map<string, Token>;
  deletes: string[];
  conflicts: SyncConflict[];
  /** The sync base after applying the plan: conflicting tokens keep their old base. */
  nextBase: SyncBase;
}

const same = (a: Token | null | undefined, b: Token | null | undefined) =>
  canonical(a ?? null) === canonical(b ?? null);

/**
 * Plans the import of the changed files. `repository` holds every token of those files (path →
 * token and file); `fileOf` says which file a base token belonged to, so a token gone from a changed
 * file counts as deleted there. `referenced` tells whether a token still in use refers to a path.
 */
export function planMerge(input: {
  base: SyncBase;
  ensemble: TokenMap;
  repository: Map<string, { token: Token; file: string }>;
  changedFiles: Set<string>;
  fileOf: (token: Token) => string;
}): MergePlan {
  const { base, ensemble, repository, changedFiles, fileOf } = input;
  const plan: MergePlan = { writes: new Map(), deletes: [], conflicts: [], nextBase: { ...base } };
  const paths = new Set(repository.keys());
  for (const [path, token] of Object.entries(base)) if (changedFiles.has(fileOf(token))) paths.add(path);
  for (const path of paths) {
    const theirs = repository.get(path)?.token ?? null;
    const was = base[path] ?? null;
    const ours = ensemble.get(path) ?? null;
    const file = repository.get(path)?.file ?? (was ? fileOf(was) : '');
    if (same(theirs, was)) continue;
    if (!same(theirs, ours)) {
      if (!same(ours, was)) {
        plan.conflicts.push({ path, file, base: was, ensemble: ours, repository: theirs });
        continue;
      }
      if (theirs) plan.writes.set(path, theirs);
      else plan.deletes.push(path);
    }
    if (theirs) plan.nextBase[path] = theirs;
    else delete plan.nextBase[path];
  }
  return plan;
}
