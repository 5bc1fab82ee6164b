-- AlterTable
ALTER TABLE "comments" ADD COLUMN     "mentions" UUID[];
