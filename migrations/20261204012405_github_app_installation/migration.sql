-- AlterTable
ALTER TABLE "github_connections" ADD COLUMN     "installation_id" BIGINT;
