-- AlterTable
ALTER TABLE "design_tokens" ADD COLUMN     "modes" JSONB;
