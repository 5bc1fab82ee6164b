// The Prisma client over node-postgres. The only place a PrismaClient is constructed; the rest of the
// code imports the client type and row types from here, never from the generated package directly.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { traceQuery } from '../observability/db-spans.ts';
import { tracingEnabled } from '../observability/tracing.ts';

export type Db = PrismaClient;
export type {
  ActivityLog,
  ApiKey,
  Asset,
  Branch,
  MergeRequest,
  MergeRequestApproval,
  Comment,
  Notification,
  NotificationPreference,
  Reaction,
  Component,
  ComponentVersion,
  DesignSystem,
  DesignSystemVersion,
  DesignToken,
  Job,
  Prisma,
  RefreshToken,
  Team,
  TeamInvitation,
  TeamMember,
  User,
  Webhook,
  WebhookDelivery,
} from '../generated/prisma/client.ts';
export type { TeamRole } from '../generated/prisma/enums.ts';

/** Opens a Prisma client on the given PostgreSQL URL with a bounded pool (one span per query when tracing). */
export function createDb(url: string, poolSize: number): Db {
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
  if (!tracingEnabled()) return client;
  const traced = client.$extends({
    query: { $allOperations: ({ model, operation, args, query }) => traceQuery(model, operation, () => query(args)) },
  });
  // The extension adds no methods, only a wrapper around each query: the client's type is unchanged.
  return traced as unknown as Db;
}
