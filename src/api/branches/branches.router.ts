// /api/design-systems/:id/branches: fork, list, read, diff and close branches; their merge requests
// (open, approve, comment, merge); and the team's merge settings (docs/branches.md).
import type { Services } from '../../services/index.ts';
import type { OpenApiRegistry } from '../openapi/registry.ts';
import { Routes } from '../route.ts';
import {
  ApprovalBody,
  BranchParams,
  BranchSettingsBody,
  CreateBranchBody,
  DsBranchesParams,
  ListBranchesQuery,
  MergeBody,
  MergeRequestCommentBody,
  MergeRequestParams,
  OpenMergeRequestBody,
  TeamParams,
} from './branches.schema.ts';

/** The branch and merge-request routes. */
export function branchRoutes({ branches, mergeRequests }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/design-systems/:id/branches', 'Branches');
  const mr = '/:branch/merge-requests';

  r.post(
    '/',
    {
      summary: 'Fork every document of the design system (or of branch `from`) into a new branch',
      params: DsBranchesParams,
      body: CreateBranchBody,
    },
    ({ actor, params, body }) => branches.create(actor, params.id, body),
  );
  r.get(
    '/',
    { summary: 'List the branches of a design system', params: DsBranchesParams, query: ListBranchesQuery },
    async ({ actor, params, query }) => ({
      items: await branches.list(actor, params.id, query.status),
    }),
  );
  r.get(
    '/:branch',
    { summary: 'Get a branch (by id or name) with its document names', params: BranchParams },
    ({ actor, params }) => branches.get(actor, params.id, params.branch),
  );
  r.get(
    '/:branch/diff',
    { summary: 'Three-way diff against the fork base: branch changes, main changes, conflicts', params: BranchParams },
    ({ actor, params }) => branches.diff(actor, params.id, params.branch),
  );
  r.post(
    '/:branch/close',
    { summary: 'Close a branch without merging (it stays, read-only)', params: BranchParams, status: 200 },
    ({ actor, params }) => branches.close(actor, params.id, params.branch),
  );
  r.delete(
    '/:branch',
    {
      summary: 'Delete a branch with its documents, merge requests and their comments (its author or an admin)',
      params: BranchParams,
      status: 204,
    },
    async ({ actor, params }) => {
      await branches.delete(actor, params.id, params.branch);
    },
  );

  r.post(
    mr,
    { summary: 'Open a merge request for a branch', params: BranchParams, body: OpenMergeRequestBody },
    ({ actor, params, body }) => mergeRequests.open(actor, params.id, params.branch, body),
  );
  r.get(mr, { summary: "List a branch's merge requests", params: BranchParams }, async ({ actor, params }) => ({
    items: await mergeRequests.list(actor, params.id, params.branch),
  }));
  r.get(`${mr}/:mr`, { summary: 'Get a merge request', params: MergeRequestParams }, ({ actor, params }) =>
    mergeRequests.get(actor, params.id, params.branch, params.mr),
  );
  r.post(
    `${mr}/:mr/approvals`,
    {
      summary: 'Approve (or withdraw an approval of) a merge request',
      params: MergeRequestParams,
      body: ApprovalBody,
      status: 200,
    },
    ({ actor, params, body }) => mergeRequests.approve(actor, params.id, params.branch, params.mr, body.approved),
  );
  r.post(
    `${mr}/:mr/close`,
    { summary: 'Close a merge request without merging', params: MergeRequestParams, status: 200 },
    ({ actor, params }) => mergeRequests.close(actor, params.id, params.branch, params.mr),
  );
  r.post(
    `${mr}/:mr/merge`,
    {
      summary: 'Merge the branch: one Yjs transaction per document, conflicts resolved by the choices sent',
      params: MergeRequestParams,
      body: MergeBody,
      status: 200,
    },
    ({ actor, params, body }) => mergeRequests.merge(actor, params.id, params.branch, params.mr, body.resolutions),
  );
  r.get(
    `${mr}/:mr/comments`,
    { summary: 'Comment threads of a merge request', params: MergeRequestParams },
    ({ actor, params }) => mergeRequests.threads(actor, params.id, params.branch, params.mr),
  );
  r.post(
    `${mr}/:mr/comments`,
    {
      summary: 'Comment on a merge request, optionally on one diff entry',
      params: MergeRequestParams,
      body: MergeRequestCommentBody,
    },
    ({ actor, params, body }) => mergeRequests.comment(actor, params.id, params.branch, params.mr, body),
  );
  return r;
}

/** GET/PUT /api/teams/:teamId/branch-settings. */
export function branchSettingsRoutes({ branchSettings }: Services, registry: OpenApiRegistry) {
  const r = new Routes(registry, '/api/teams/:teamId/branch-settings', 'Branches');
  r.get(
    '/',
    { summary: "The team's merge settings (required approvals, protected main)", params: TeamParams },
    ({ actor, params }) => branchSettings.get(actor, params.teamId),
  );
  r.put(
    '/',
    { summary: "Change the team's merge settings (admins)", params: TeamParams, body: BranchSettingsBody },
    ({ actor, params, body }) => branchSettings.update(actor, params.teamId, body),
  );
  return r;
}
