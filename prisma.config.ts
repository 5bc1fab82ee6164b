// Prisma CLI configuration. DATABASE_URL is read directly (not through env()) so that `prisma generate`
// works without a database; migrations live in the top-level migrations/ folder of the design card.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
