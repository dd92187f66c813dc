CREATE TYPE "public"."query_kind" AS ENUM('answer', 'retrieval');--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "max_bots" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "max_documents_per_bot" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "max_total_document_storage_gb" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "max_file_size_mb" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "max_queries_per_month" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "max_doc_processing_jobs_per_month" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "max_retrievals_per_month" integer DEFAULT 5000;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "is_default" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_counters" ADD COLUMN "retrievals" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD COLUMN "kind" "query_kind" DEFAULT 'answer' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "plans_one_default" ON "plans" USING btree ("is_default") WHERE "plans"."is_default";--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_limits_not_negative" CHECK (coalesce("plans"."max_bots", 0) >= 0 and coalesce("plans"."max_documents_per_bot", 0) >= 0
        and coalesce("plans"."max_total_document_storage_gb", 0) >= 0 and coalesce("plans"."max_file_size_mb", 0) >= 0
        and coalesce("plans"."max_queries_per_month", 0) >= 0 and coalesce("plans"."max_retrievals_per_month", 0) >= 0
        and coalesce("plans"."max_doc_processing_jobs_per_month", 0) >= 0
        and "plans"."max_pdf_pages" >= 1 and "plans"."max_doc_processing_seconds" >= 1);