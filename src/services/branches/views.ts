// Branches and merge requests as the API shows them (rows never leave the services).
import type { Branch, MergeRequest, MergeRequestApproval } from '../../models/db.ts';

export interface BranchView {
  id: string;
  designSystemId: string;
  name: string;
  status: string;
  /** The branch it was forked from and merges into (null: main). */
  parentId: string | null;
  createdBy: string | null;
  mergedBy: string | null;
  mergedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MergeRequestView {
  id: string;
  branchId: string;
  designSystemId: string;
  title: string;
  description: string | null;
  status: string;
  authorId: string | null;
  approvals: { userId: string; at: string }[];
  mergedBy: string | null;
  mergedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The API view of a branch. */
export function viewBranch(row: Branch): BranchView {
  return {
    id: row.id,
    designSystemId: row.designSystemId,
    name: row.name,
    status: row.status,
    parentId: row.parentId,
    createdBy: row.createdById,
    mergedBy: row.mergedById,
    mergedAt: iso(row.mergedAt),
    closedAt: iso(row.closedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The API view of a merge request with its approvals. */
export function viewMergeRequest(
  row: MergeRequest & { approvals: MergeRequestApproval[] },
  designSystemId: string,
): MergeRequestView {
  return {
    id: row.id,
    branchId: row.branchId,
    designSystemId,
    title: row.title,
    description: row.description,
    status: row.status,
    authorId: row.authorId,
    approvals: row.approvals.map((a) => ({ userId: a.userId, at: a.createdAt.toISOString() })),
    mergedBy: row.mergedById,
    mergedAt: iso(row.mergedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
