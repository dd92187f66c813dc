ALTER TABLE "widget_configurations" ADD COLUMN "metadata_filter" jsonb;--> statement-breakpoint
ALTER TABLE "bot_documents" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "bot_documents_metadata_idx" ON "bot_documents" USING gin ("metadata" jsonb_path_ops);