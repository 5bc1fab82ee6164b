-- CreateTable
CREATE TABLE "figma_credentials" (
    "user_id" UUID NOT NULL,
    "token_encrypted" TEXT NOT NULL,
    "figma_user_id" VARCHAR(64) NOT NULL,
    "figma_handle" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "figma_credentials_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "figma_node_cache" (
    "file_key" VARCHAR(128) NOT NULL,
    "node_id" VARCHAR(128) NOT NULL,
    "version" VARCHAR(64) NOT NULL,
    "data" JSONB NOT NULL,
    "fetched_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "figma_node_cache_pkey" PRIMARY KEY ("file_key","node_id","version")
);

-- AddForeignKey
ALTER TABLE "figma_credentials" ADD CONSTRAINT "figma_credentials_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
