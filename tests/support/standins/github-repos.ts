// A local HTTP server speaking the parts of GitHub's REST API that the GitHub sync uses, over an
// in-memory git object store: repos, git refs, blobs (real git blob shas), trees (with base_tree and
// deletions), commits, pulls and contents. It records every request, and can answer one request with
// a rate limit. Repositories are created by the test with `createRepo`. It is also a GitHub App:
// `POST /app/installations/:id/access_tokens` takes the App's RS256 JWT (checked against the App's
// public key, `iss`, `iat`/`exp` as GitHub does) and answers an installation token that works for
// the installation's repositories only.
import { createHash, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Commit {
  tree: string;
  parents: string[];
  message: string;
}

interface Pull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  html_url: string;
}

interface Repo {
  owner: string;
  name: string;
  defaultBranch: string;
  refs: Map<string, string>;
  pulls: Pull[];
}

export interface SeenRequest {
  method: string;
  path: string;
  auth: string | undefined;
  body: string;
}

export interface GithubReposStandIn {
  url: string;
  /** The token every request must carry (`Bearer <token>`). */
  token: string;
  /** Revokes the token (every request answers 401) or restores it. */
  revoke(revoked: boolean): void;
  seen: SeenRequest[];
  /** Creates a repository whose default branch holds `files`. */
  createRepo(owner: string, name: string, files: Record<string, string>, defaultBranch?: string): void;
  /** Commits to a branch as a person on GitHub would (null deletes a file); returns before/after shas. */
  commit(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, string | null>,
    message?: string,
  ): { before: string; after: string };
  /** The files of a branch (or commit sha): path → content. */
  filesAt(owner: string, name: string, branchOrSha: string): Map<string, string>;
  pulls(owner: string, name: string): Pull[];
  /** The GitHub App: its id, private key (PEM) and one installation. */
  app: {
    id: string;
    privateKey: string;
    installationId: number;
    /** Repositories (`owner/name`, lower case) the installation was given. */
    repos: Set<string>;
    /** Permissions the next tokens grant; seconds they live. */
    permissions: Record<string, string>;
    tokenTtlSeconds: number;
    /** Installation tokens issued so far. */
    issued: string[];
    /** Revokes every issued installation token (as suspending the installation does). */
    revokeTokens(): void;
  };
  /** The next request to a path matching `pattern` answers 403 with a rate limit lifting in `seconds`. */
  rateLimitNext(pattern: RegExp, seconds: number): void;
  close(): Promise<void>;
}

const sha1 = (data: Buffer | string) => createHash('sha1').update(data).digest('hex');
const blobSha = (content: Buffer) => sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });

/** Starts the stand-in on 127.0.0.1. */
export async function startGithubReposStandIn(): Promise<GithubReposStandIn> {
  const token = `github_pat_${randomBytes(12).toString('hex')}`;
  const blobs = new Map<string, Buffer>();
  const trees = new Map<string, Map<string, string>>();
  const commits = new Map<string, Commit>();
  const repos = new Map<string, Repo>();
  const seen: SeenRequest[] = [];
  const limits: { pattern: RegExp; seconds: number }[] = [];
  let pullNumber = 0;
  let revoked = false;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const installationTokens = new Set<string>();
  const app: GithubReposStandIn['app'] = {
    id: '424242',
    privateKey: keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    installationId: 7_000_001,
    repos: new Set(),
    permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
    tokenTtlSeconds: 3600,
    issued: [],
    revokeTokens: () => installationTokens.clear(),
  };
  /** Why an App JWT is not acceptable, or null (GitHub: RS256, iss = App id, exp at most 10 minutes after iat). */
  const appJwtProblem = (jwt: string): string | null => {
    const [header, claims, signature] = jwt.split('.');
    if (!header || !claims || !signature) return 'A JSON web token could not be decoded';
    const verified = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(keys.publicKey, Buffer.from(signature, 'base64url'));
    if (!verified) return "'Issuer' claim ('iss') must be an Integer";
    const { iss, iat, exp, alg } = {
      ...(JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }),
      ...(JSON.parse(Buffer.from(claims, 'base64url').toString()) as { iss?: unknown; iat?: number; exp?: number }),
    };
    const now = Date.now() / 1000;
    if (alg !== 'RS256' || String(iss) !== app.id) return 'Integration not found';
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp < now || iat > now + 60 || exp - iat > 660)
      return "'Expiration time' claim ('exp') is too far in the future";
    return null;
  };

  const putBlob = (content: Buffer) => {
    const sha = blobSha(content);
    blobs.set(sha, content);
    return sha;
  };
  const putTree = (entries: Map<string, string>) => {
    const sorted = new Map([...entries].sort(([a], [b]) => a.localeCompare(b)));
    const sha = sha1(`tree ${JSON.stringify([...sorted])}`);
    trees.set(sha, sorted);
    return sha;
  };
  const putCommit = (commit: Commit) => {
    const sha = sha1(`commit ${JSON.stringify(commit)} ${randomBytes(4).toString('hex')}`);
    commits.set(sha, commit);
    return sha;
  };
  const repoOf = (owner: string, name: string) => {
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw new Error(`no repo ${owner}/${name}`);
    return repo;
  };
  const treeOf = (repo: Repo, branchOrSha: string) => {
    const sha = repo.refs.get(branchOrSha) ?? branchOrSha;
    const commit = commits.get(sha);
    if (!commit) throw new Error(`no commit ${branchOrSha}`);
    return trees.get(commit.tree) as Map<string, string>;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    const method = req.method ?? '';
    seen.push({ method, path: url.pathname + url.search, auth: req.headers.authorization, body });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    const limit = limits.findIndex((l) => l.pattern.test(url.pathname));
    if (limit >= 0) {
      const { seconds } = limits.splice(limit, 1)[0] as { seconds: number };
      const reset = String(Math.ceil(Date.now() / 1000 + seconds));
      return json(
        403,
        { message: 'API rate limit exceeded for user ID 1.' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      );
    }
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const minted = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (minted && method === 'POST') {
      const problem = appJwtProblem(bearer);
      if (problem) return json(401, { message: problem, documentation_url: 'https://docs.github.com/rest' });
      if (Number(minted[1]) !== app.installationId) return json(404, { message: 'Not Found' });
      const issued = `ghs_${randomBytes(18).toString('hex')}`;
      installationTokens.add(issued);
      app.issued.push(issued);
      const expiresAt = new Date(Date.now() + app.tokenTtlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return json(201, {
        token: issued,
        expires_at: expiresAt,
        permissions: app.permissions,
        repository_selection: 'selected',
      });
    }
    const asInstallation = installationTokens.has(bearer);
    if (!asInstallation && (revoked || bearer !== token))
      return json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const key = m ? `${decodeURIComponent(m[1] as string)}/${decodeURIComponent(m[2] as string)}`.toLowerCase() : '';
    const repo = m && (!asInstallation || app.repos.has(key)) ? repos.get(key) : undefined;
    if (!m || !repo) return json(404, { message: 'Not Found' });
    const rest = m[3] ?? '';
    const input = body ? (JSON.parse(body) as Record<string, any>) : {};
    const full = `${repo.owner}/${repo.name}`;
    let r: RegExpExecArray | null;

    if (rest === '' && method === 'GET')
      return json(200, {
        full_name: full,
        default_branch: repo.defaultBranch,
        permissions: { admin: false, push: true, pull: true },
      });
    if ((r = /^\/git\/ref\/heads\/(.+)$/.exec(rest)) && method === 'GET') {
      const branch = decodeURIComponent(r[1] as string);
      const sha = repo.refs.get(branch);
      return sha
        ? json(200, { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } })
        : json(404, { message: 'Not Found' });
    }
    if ((r = /^\/git\/commits\/([0-9a-f]+)$/.exec(rest)) && method === 'GET') {
      const commit = commits.get(r[1] as string);
      return commit
        ? json(200, {
            sha: r[1],
            tree: { sha: commit.tree },
            parents: commit.parents.map((sha) => ({ sha })),
            message: commit.message,
          })
        : json(404, { message: 'Not Found' });
    }
    if ((r = /^\/git\/trees\/([0-9a-f]+)$/.exec(rest)) && method === 'GET') {
      // A commit sha is accepted too, as GitHub does.
      const tree = trees.get(r[1] as string) ?? trees.get(commits.get(r[1] as string)?.tree ?? '');
      if (!tree) return json(404, { message: 'Not Found' });
      return json(200, {
        sha: r[1],
        truncated: false,
        tree: [...tree].map(([path, sha]) => ({
          path,
          mode: '100644',
          type: 'blob',
          sha,
          size: blobs.get(sha)?.length,
        })),
      });
    }
    if (rest === '/git/blobs' && method === 'POST') {
      const content =
        input.encoding === 'base64' ? Buffer.from(input.content, 'base64') : Buffer.from(String(input.content));
      return json(201, { sha: putBlob(content), url: '' });
    }
    if ((r = /^\/git\/blobs\/([0-9a-f]+)$/.exec(rest)) && method === 'GET') {
      const blob = blobs.get(r[1] as string);
      return blob
        ? json(200, { sha: r[1], encoding: 'base64', content: blob.toString('base64'), size: blob.length })
        : json(404, { message: 'Not Found' });
    }
    if (rest === '/git/trees' && method === 'POST') {
      const entries = new Map(input.base_tree ? (trees.get(input.base_tree) ?? []) : []);
      for (const e of input.tree as { path: string; sha: string | null }[]) {
        if (e.sha === null) entries.delete(e.path);
        else if (!blobs.has(e.sha))
          return json(422, { message: 'Invalid tree info', errors: [`sha ${e.sha} is not a blob`] });
        else entries.set(e.path, e.sha);
      }
      return json(201, { sha: putTree(entries) });
    }
    if (rest === '/git/commits' && method === 'POST') {
      if (!trees.has(input.tree) || !(input.parents as string[]).every((p) => commits.has(p)))
        return json(422, { message: 'Invalid request' });
      const sha = putCommit({ tree: input.tree, parents: input.parents, message: input.message });
      return json(201, { sha, tree: { sha: input.tree }, html_url: `https://github.test/${full}/commit/${sha}` });
    }
    if (rest === '/git/refs' && method === 'POST') {
      const branch = String(input.ref).replace(/^refs\/heads\//, '');
      if (repo.refs.has(branch)) return json(422, { message: 'Reference already exists' });
      repo.refs.set(branch, input.sha);
      return json(201, { ref: input.ref, object: { sha: input.sha, type: 'commit' } });
    }
    if ((r = /^\/git\/refs\/heads\/(.+)$/.exec(rest)) && method === 'PATCH') {
      const branch = decodeURIComponent(r[1] as string);
      const current = repo.refs.get(branch);
      if (!current) return json(422, { message: 'Reference does not exist' });
      if (!input.force && !commits.get(input.sha)?.parents.includes(current))
        return json(422, { message: 'Update is not a fast forward' });
      repo.refs.set(branch, input.sha);
      return json(200, { ref: `refs/heads/${branch}`, object: { sha: input.sha, type: 'commit' } });
    }
    if (rest === '/pulls' && method === 'GET') {
      const head = url.searchParams.get('head')?.split(':').pop();
      const state = url.searchParams.get('state') ?? 'open';
      return json(
        200,
        repo.pulls
          .filter((p) => (!head || p.head === head) && p.state === state)
          .map((p) => ({
            number: p.number,
            html_url: p.html_url,
            state: p.state,
            head: { ref: p.head },
            base: { ref: p.base },
          })),
      );
    }
    if (rest === '/pulls' && method === 'POST') {
      if (!repo.refs.has(input.head))
        return json(422, {
          message: 'Validation Failed',
          errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
        });
      if (repo.refs.get(input.head) === repo.refs.get(input.base))
        return json(422, {
          message: 'Validation Failed',
          errors: [{ message: `No commits between ${input.base} and ${input.head}` }],
        });
      const pull: Pull = {
        number: ++pullNumber,
        head: input.head,
        base: input.base,
        title: input.title,
        body: input.body ?? '',
        state: 'open',
        html_url: `https://github.test/${full}/pull/${pullNumber}`,
      };
      repo.pulls.push(pull);
      return json(201, { number: pull.number, html_url: pull.html_url, state: 'open' });
    }
    if ((r = /^\/contents\/(.+)$/.exec(rest)) && method === 'GET') {
      const path = decodeURIComponent(r[1] as string);
      const tree = treeOf(repo, url.searchParams.get('ref') ?? repo.defaultBranch);
      const sha = tree.get(path);
      if (!sha) return json(404, { message: 'Not Found' });
      const blob = blobs.get(sha) as Buffer;
      return json(200, {
        type: 'file',
        path,
        sha,
        size: blob.length,
        encoding: 'base64',
        content: blob.toString('base64').replace(/(.{60})/g, '$1\n'),
      });
    }
    json(404, { message: 'Not Found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: err.message }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  const commitFiles = (repo: Repo, branch: string, files: Record<string, string | null>, message: string) => {
    const before = repo.refs.get(branch) ?? null;
    const entries = new Map(before ? treeOf(repo, before) : []);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) entries.delete(path);
      else entries.set(path, putBlob(Buffer.from(content)));
    }
    const after = putCommit({ tree: putTree(entries), parents: before ? [before] : [], message });
    repo.refs.set(branch, after);
    return { before: before ?? '0'.repeat(40), after };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    revoke: (value) => {
      revoked = value;
    },
    app,
    seen,
    createRepo(owner, name, files, defaultBranch = 'main') {
      const repo: Repo = { owner, name, defaultBranch, refs: new Map(), pulls: [] };
      repos.set(`${owner}/${name}`.toLowerCase(), repo);
      commitFiles(repo, defaultBranch, files, 'Initial commit');
    },
    commit: (owner, name, branch, files, message = 'Edit on GitHub') =>
      commitFiles(repoOf(owner, name), branch, files, message),
    filesAt(owner, name, branchOrSha) {
      const tree = treeOf(repoOf(owner, name), branchOrSha);
      return new Map([...tree].map(([path, sha]) => [path, (blobs.get(sha) as Buffer).toString('utf8')]));
    },
    pulls: (owner, name) => repoOf(owner, name).pulls,
    rateLimitNext(pattern, seconds) {
      limits.push({ pattern, seconds });
    },
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
