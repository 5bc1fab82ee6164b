-- AlterTable
ALTER TABLE "design_systems" ADD COLUMN     "tokens_snapshot" BYTEA;

-- AlterTable
ALTER TABLE "components" ADD COLUMN     "doc_snapshot" BYTEA;

-- AlterTable
ALTER TABLE "documents" ADD COLUMN     "component_id" UUID,
ADD COLUMN     "design_system_id" UUID;

-- Backfill the owners from the document names, and drop documents whose owner is already gone
-- (before this migration nothing deleted them with their team).
UPDATE "documents" d SET "component_id" = c."id", "design_system_id" = c."design_system_id"
  FROM "components" c WHERE d."name" = 'component:' || c."id"::text;
UPDATE "documents" d SET "design_system_id" = s."id"
  FROM "design_systems" s WHERE d."name" = 'tokens:' || s."id"::text;
DELETE FROM "documents" d WHERE d."team_id" IS NULL OR NOT EXISTS (SELECT 1 FROM "teams" t WHERE t."id" = d."team_id")
  OR (d."name" LIKE 'component:%' AND d."component_id" IS NULL)
  OR (d."name" LIKE 'tokens:%' AND d."design_system_id" IS NULL)
  OR d."name" <> lower(d."name");

-- CreateIndex
CREATE INDEX "documents_design_system_id_idx" ON "documents"("design_system_id");

-- CreateIndex
CREATE INDEX "documents_component_id_idx" ON "documents"("component_id");

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_design_system_id_fkey" FOREIGN KEY ("design_system_id") REFERENCES "design_systems"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_component_id_fkey" FOREIGN KEY ("component_id") REFERENCES "components"("id") ON DELETE CASCADE ON UPDATE CASCADE;
