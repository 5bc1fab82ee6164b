// The Prisma client over node-postgres. The only place a PrismaClient is constructed; the rest of the
// code imports the client type and row types from here, never from the generated package directly.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;
export type {
  ActivityLog,
  ApiKey,
  Asset,
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

/** Opens a Prisma client on the given PostgreSQL URL with a bounded pool. */
export function createDb(url: string, poolSize: number): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
}
