CREATE TYPE "public"."source_kind" AS ENUM('website', 'sitemap');--> statement-breakpoint
CREATE TYPE "public"."source_page_status" AS ENUM('indexed', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."source_run_status" AS ENUM('running', 'completed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."source_schedule" AS ENUM('manual', 'hourly', 'daily', 'weekly');--> statement-breakpoint
CREATE TYPE "public"."source_status" AS ENUM('pending', 'crawling', 'completed', 'failed');--> statement-breakpoint
ALTER TYPE "public"."document_source_type" ADD VALUE 'WEB_PAGE';--> statement-breakpoint
CREATE TABLE "bot_source_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"trigger" varchar(16) NOT NULL,
	"status" "source_run_status" DEFAULT 'running' NOT NULL,
	"fetched" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"error_message" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bot_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"created_by" uuid,
	"kind" "source_kind" NOT NULL,
	"url" text NOT NULL,
	"allowed_hosts" text[] DEFAULT '{}'::text[] NOT NULL,
	"include_patterns" text[] DEFAULT '{}'::text[] NOT NULL,
	"exclude_patterns" text[] DEFAULT '{}'::text[] NOT NULL,
	"max_pages" integer NOT NULL,
	"max_depth" integer NOT NULL,
	"schedule" "source_schedule" DEFAULT 'manual' NOT NULL,
	"status" "source_status" DEFAULT 'pending' NOT NULL,
	"error_message" text,
	"pages_found" integer DEFAULT 0 NOT NULL,
	"pages_processed" integer DEFAULT 0 NOT NULL,
	"pages_failed" integer DEFAULT 0 NOT NULL,
	"pages_skipped" integer DEFAULT 0 NOT NULL,
	"last_crawl_at" timestamp with time zone,
	"next_crawl_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_sources_max_pages_positive" CHECK ("bot_sources"."max_pages" > 0),
	CONSTRAINT "bot_sources_max_depth_range" CHECK ("bot_sources"."max_depth" between 0 and 20)
);
--> statement-breakpoint
CREATE TABLE "bot_source_pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"url" text NOT NULL,
	"document_id" uuid,
	"status" "source_page_status" NOT NULL,
	"reason" text,
	"depth" integer DEFAULT 0 NOT NULL,
	"etag" text,
	"last_modified" text,
	"body_hash" varchar(64),
	"content_hash" varchar(64),
	"links" text[] DEFAULT '{}'::text[] NOT NULL,
	"path" text,
	"lang" varchar(35),
	"title" text,
	"last_run_id" uuid,
	"fetched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" DROP CONSTRAINT "plans_limits_not_negative";--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "max_pages_per_source" integer;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "max_crawls_per_month" integer;--> statement-breakpoint
ALTER TABLE "bot_documents" ADD COLUMN "source_id" uuid;--> statement-breakpoint
ALTER TABLE "bot_source_runs" ADD CONSTRAINT "bot_source_runs_source_id_bot_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."bot_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_sources" ADD CONSTRAINT "bot_sources_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_sources" ADD CONSTRAINT "bot_sources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_source_pages" ADD CONSTRAINT "bot_source_pages_source_id_bot_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."bot_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_source_pages" ADD CONSTRAINT "bot_source_pages_document_id_bot_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."bot_documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bot_source_runs_source_id_started_at_index" ON "bot_source_runs" USING btree ("source_id","started_at");--> statement-breakpoint
CREATE INDEX "bot_sources_bot_id_created_at_index" ON "bot_sources" USING btree ("bot_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bot_source_pages_source_id_url_index" ON "bot_source_pages" USING btree ("source_id","url");--> statement-breakpoint
CREATE INDEX "bot_source_pages_document_id_index" ON "bot_source_pages" USING btree ("document_id");--> statement-breakpoint
ALTER TABLE "bot_documents" ADD CONSTRAINT "bot_documents_source_id_bot_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."bot_sources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bot_documents_source_id_index" ON "bot_documents" USING btree ("source_id");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_limits_not_negative" CHECK (coalesce("plans"."max_bots", 0) >= 0 and coalesce("plans"."max_documents_per_bot", 0) >= 0
        and coalesce("plans"."max_total_document_storage_gb", 0) >= 0 and coalesce("plans"."max_file_size_mb", 0) >= 0
        and coalesce("plans"."max_queries_per_month", 0) >= 0 and coalesce("plans"."max_retrievals_per_month", 0) >= 0
        and coalesce("plans"."max_doc_processing_jobs_per_month", 0) >= 0
        and coalesce("plans"."max_pages_per_source", 0) >= 0 and coalesce("plans"."max_crawls_per_month", 0) >= 0
        and "plans"."max_pdf_pages" >= 1 and "plans"."max_doc_processing_seconds" >= 1);