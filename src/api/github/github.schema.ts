// Bodies of the GitHub sync routes: the connection, a push, and the parts of a push webhook we read.
import { z } from 'zod';

/** GitHub's own rules for owner and repository names. */
const name = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, . _ - (at most 100)')
  .refine((v) => v !== '.' && v !== '..', 'not . or ..');

/** A git branch name (git check-ref-format, simplified): no spaces, `..`, `@{`, control characters, no `.lock` end. */
export const BranchName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\/)(?!.*\/\/)(?!.*\.\.)(?!.*@\{)(?!.*\/\.)(?!\.)[A-Za-z0-9._/-]+$/, 'a git branch name')
  .refine((v) => !v.endsWith('/') && !v.endsWith('.') && !v.endsWith('.lock'), 'a git branch name');

/** A folder inside the repository: relative, no `..`, no leading or trailing slash. */
const folder = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'a folder like tokens or packages/ui/tokens')
  .refine((v) => !v.split('/').some((s) => s === '.' || s === '..'), 'no . or .. segments');

export const DsParams = z.object({ id: z.uuid() });

export const ConnectBody = z
  .object({
    owner: name,
    repo: name,
    token: z.string().min(1).max(500).regex(/^\S+$/, 'a token without spaces').optional(),
    /** Connect through an installation of the server's GitHub App (GITHUB_APP_ID) instead of a token. */
    installationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    baseBranch: BranchName.optional(),
    tokensPath: folder.optional(),
    componentsPath: folder.optional(),
    rotateWebhookSecret: z.boolean().optional(),
  })
  .refine((b) => !(b.token && b.installationId), {
    path: ['installationId'],
    message: 'Send a token or an installationId, not both',
  });

export const PushBody = z.object({
  /** Default: a generated `ensemble/<date>-<short id>`, or the name of the design-system branch pushed. */
  branch: BranchName.optional(),
  /** A design-system branch (name or id) whose documents are pushed instead of main's. */
  from: z.string().min(1).max(100).optional(),
  title: z.string().min(1).max(256).optional(),
  body: z.string().max(65_536).optional(),
});

const files = z.array(z.string().max(4096)).max(10_000).optional();

/** What the import reads of a webhook delivery; everything else GitHub sends is ignored. */
export const WebhookBody = z.object({
  ref: z.string().max(1024).optional(),
  before: z.string().max(64).optional(),
  after: z
    .string()
    .regex(/^[0-9a-f]{40,64}$/)
    .optional(),
  deleted: z.boolean().optional(),
  repository: z.object({ full_name: z.string().max(201) }).optional(),
  commits: z
    .array(z.object({ added: files, modified: files, removed: files }))
    .max(2048)
    .optional(),
});

export type ConnectReq = z.infer<typeof ConnectBody>;
