-- CreateTable
CREATE TABLE "github_connections" (
    "design_system_id" UUID NOT NULL,
    "owner" VARCHAR(100) NOT NULL,
    "repo" VARCHAR(100) NOT NULL,
    "repo_key" VARCHAR(201) NOT NULL,
    "base_branch" VARCHAR(255) NOT NULL,
    "tokens_path" VARCHAR(255) NOT NULL,
    "components_path" VARCHAR(255) NOT NULL,
    "token_encrypted" TEXT NOT NULL,
    "webhook_secret_encrypted" TEXT NOT NULL,
    "sync_base" JSONB NOT NULL DEFAULT '{}',
    "last_synced_sha" VARCHAR(64),
    "last_synced_at" TIMESTAMP(3),
    "created_by" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "github_connections_pkey" PRIMARY KEY ("design_system_id")
);

-- CreateIndex
CREATE INDEX "github_connections_repo_key_idx" ON "github_connections"("repo_key");

-- AddForeignKey
ALTER TABLE "github_connections" ADD CONSTRAINT "github_connections_design_system_id_fkey" FOREIGN KEY ("design_system_id") REFERENCES "design_systems"("id") ON DELETE CASCADE ON UPDATE CASCADE;
