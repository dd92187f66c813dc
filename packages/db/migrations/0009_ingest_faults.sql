CREATE TABLE "bot_document_deletions" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"bot_id" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bot_documents" ADD COLUMN "ingest_run_id" uuid;--> statement-breakpoint
ALTER TABLE "bot_documents" ADD COLUMN "outage_dependency" varchar(16);--> statement-breakpoint
ALTER TABLE "bot_document_deletions" ADD CONSTRAINT "bot_document_deletions_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bot_document_deletions_requested_at_index" ON "bot_document_deletions" USING btree ("requested_at");