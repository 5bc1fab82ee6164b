-- AlterTable
ALTER TABLE "teams" ADD COLUMN     "package_scope" VARCHAR(100),
ADD COLUMN     "registry_token_encrypted" TEXT,
ADD COLUMN     "registry_url" TEXT;
