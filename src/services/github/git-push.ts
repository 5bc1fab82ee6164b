// Writes a set of files to a branch through GitHub's git data API and opens (or reuses) a pull
// request: base ref → blobs → a tree on the parent commit's tree (managed files that are gone here are
// deleted) → a commit → create or fast-forward `refs/heads/<branch>` → the pull request.
import { GithubError, repoPath, segments, type GithubApi } from './github-api.ts';

export interface PushTarget {
  owner: string;
  repo: string;
  baseBranch: string;
  branch: string;
}

export interface PushContent {
  files: Map<string, string>;
  /** Paths Ensemble owns: those in the parent tree but not in `files` are deleted. */
  managed: (path: string) => boolean;
  message: string;
  title: string;
  body: string;
}

export interface PushOutcome {
  branch: string;
  /** The new commit, or null when the branch already held exactly these files. */
  commitSha: string | null;
  pullRequest: { number: number; url: string; reused: boolean } | null;
  files: number;
  deleted: string[];
}

interface Ref {
  object: { sha: string };
}
interface Commit {
  sha: string;
  tree: { sha: string };
}
interface TreeEntry {
  path: string;
  type: string;
  mode: string;
  sha: string;
}
interface Pull {
  number: number;
  html_url: string;
}

export type PushStep = (percent: number, message: string) => Promise<void>;

/** The head commit of a branch, or null when it does not exist. */
async function head(api: GithubApi, base: string, branch: string): Promise<string | null> {
  try {
    return (await api.request<Ref>('GET', `${base}/git/ref/heads/${segments(branch)}`, `reading branch ${branch}`))
      .object.sha;
  } catch (err) {
    if (err instanceof GithubError && err.failure === 'not_found') return null;
    throw err;
  }
}

/** Pushes `content` to `target.branch` (created from the base branch if new) and opens its pull request. */
export async function pushFiles(
  api: GithubApi,
  target: PushTarget,
  content: PushContent,
  step: PushStep,
): Promise<PushOutcome> {
  const base = repoPath(target.owner, target.repo);
  const baseSha = await head(api, base, target.baseBranch);
  if (!baseSha)
    throw new GithubError(
      'not_found',
      404,
      `The base branch ${target.baseBranch} does not exist in ${target.owner}/${target.repo}`,
    );
  const branchSha = await head(api, base, target.branch);
  // A branch pushed before grows by one commit; a new one starts at the base branch.
  const parentSha = branchSha ?? baseSha;
  const parent = await api.request<Commit>('GET', `${base}/git/commits/${parentSha}`, 'reading the parent commit');
  const existing = await api.request<{ tree: TreeEntry[]; truncated: boolean }>(
    'GET',
    `${base}/git/trees/${parent.tree.sha}?recursive=1`,
    'reading the parent tree',
  );
  await step(40, `Writing ${content.files.size} files`);

  const entries: { path: string; mode: '100644'; type: 'blob'; sha: string | null }[] = [];
  for (const [path, text] of content.files) {
    const blob = await api.request<{ sha: string }>('POST', `${base}/git/blobs`, `creating the blob of ${path}`, {
      content: Buffer.from(text).toString('base64'),
      encoding: 'base64',
    });
    entries.push({ path, mode: '100644', type: 'blob', sha: blob.sha });
  }
  // A truncated listing (huge repositories) cannot say what to delete: nothing is.
  const deleted = existing.truncated
    ? []
    : existing.tree
        .filter((e) => e.type === 'blob' && content.managed(e.path) && !content.files.has(e.path))
        .map((e) => e.path);
  for (const path of deleted) entries.push({ path, mode: '100644', type: 'blob', sha: null });
  const tree = await api.request<{ sha: string }>('POST', `${base}/git/trees`, 'creating the tree', {
    base_tree: parent.tree.sha,
    tree: entries,
  });

  let commitSha: string | null = null;
  if (tree.sha !== parent.tree.sha) {
    await step(70, 'Committing');
    const commit = await api.request<Commit>('POST', `${base}/git/commits`, 'creating the commit', {
      message: content.message,
      tree: tree.sha,
      parents: [parentSha],
    });
    commitSha = commit.sha;
    if (branchSha) {
      // Not forced: someone else's commit on the branch since we read it is a 422, not lost work.
      await api.request(
        'PATCH',
        `${base}/git/refs/heads/${segments(target.branch)}`,
        `updating branch ${target.branch}`,
        { sha: commit.sha, force: false },
      );
    } else {
      await api.request('POST', `${base}/git/refs`, `creating branch ${target.branch}`, {
        ref: `refs/heads/${target.branch}`,
        sha: commit.sha,
      });
    }
  }
  if (!commitSha && !branchSha)
    return { branch: target.branch, commitSha: null, pullRequest: null, files: content.files.size, deleted };

  await step(85, 'Opening the pull request');
  const query = new URLSearchParams({
    head: `${target.owner}:${target.branch}`,
    base: target.baseBranch,
    state: 'open',
  });
  const open = await api.request<Pull[]>('GET', `${base}/pulls?${query}`, 'looking for an open pull request');
  if (open[0])
    return {
      branch: target.branch,
      commitSha,
      pullRequest: { number: open[0].number, url: open[0].html_url, reused: true },
      files: content.files.size,
      deleted,
    };
  if (!commitSha && branchSha === baseSha)
    return { branch: target.branch, commitSha: null, pullRequest: null, files: content.files.size, deleted };
  const pull = await api.request<Pull>('POST', `${base}/pulls`, 'opening the pull request', {
    title: content.title,
    head: target.branch,
    base: target.baseBranch,
    body: content.body,
  });
  return {
    branch: target.branch,
    commitSha,
    pullRequest: { number: pull.number, url: pull.html_url, reused: false },
    files: content.files.size,
    deleted,
  };
}
