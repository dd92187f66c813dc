CREATE TYPE "public"."eval_question_source" AS ENUM('MANUAL', 'IMPORT', 'CONVERSATION', 'GENERATED');--> statement-breakpoint
CREATE TYPE "public"."eval_run_status" AS ENUM('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TYPE "public"."rerank_provider" AS ENUM('tei', 'cohere', 'jina', 'vllm');--> statement-breakpoint
CREATE TABLE "eval_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"set_id" uuid NOT NULL,
	"question" text NOT NULL,
	"expected" jsonb NOT NULL,
	"source" "eval_question_source" NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	"source_message_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eval_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eval_run_misses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"config_index" integer NOT NULL,
	"question_id" uuid,
	"question" text NOT NULL,
	"expected" jsonb NOT NULL,
	"retrieved" jsonb NOT NULL,
	"kind" varchar(16) DEFAULT 'miss' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eval_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"set_id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"status" "eval_run_status" DEFAULT 'QUEUED' NOT NULL,
	"configs" jsonb NOT NULL,
	"results" jsonb,
	"question_count" integer DEFAULT 0 NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "templates" ALTER COLUMN "default_rag_config" SET DEFAULT '{"chunkSize":400,"chunkOverlap":60,"topK":5,"retrievalMode":"hybrid","minScore":0,"fusionWeights":{"vector":0.01,"keyword":1},"rerank":{"enabled":false,"topN":20},"context":{"neighbours":0,"sameSection":false,"maxTokens":1500}}'::jsonb;--> statement-breakpoint
ALTER TABLE "bots" ALTER COLUMN "rag_config" SET DEFAULT '{"chunkSize":400,"chunkOverlap":60,"topK":5,"retrievalMode":"hybrid","minScore":0,"fusionWeights":{"vector":0.01,"keyword":1},"rerank":{"enabled":false,"topN":20},"context":{"neighbours":0,"sameSection":false,"maxTokens":1500}}'::jsonb;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "rerank_provider" "rerank_provider";--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "rerank_url" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "rerank_model" varchar(200);--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "rerank_api_key_ciphertext" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "rerank_api_key_hint" varchar(32);--> statement-breakpoint
ALTER TABLE "eval_questions" ADD CONSTRAINT "eval_questions_set_id_eval_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."eval_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_questions" ADD CONSTRAINT "eval_questions_source_message_id_messages_id_fk" FOREIGN KEY ("source_message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_sets" ADD CONSTRAINT "eval_sets_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_sets" ADD CONSTRAINT "eval_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_run_misses" ADD CONSTRAINT "eval_run_misses_run_id_eval_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."eval_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_run_misses" ADD CONSTRAINT "eval_run_misses_question_id_eval_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."eval_questions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_set_id_eval_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."eval_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "eval_questions_set_id_created_at_index" ON "eval_questions" USING btree ("set_id","created_at");--> statement-breakpoint
CREATE INDEX "eval_sets_bot_id_index" ON "eval_sets" USING btree ("bot_id");--> statement-breakpoint
CREATE INDEX "eval_run_misses_run_id_config_index_index" ON "eval_run_misses" USING btree ("run_id","config_index");--> statement-breakpoint
CREATE INDEX "eval_runs_set_id_created_at_index" ON "eval_runs" USING btree ("set_id","created_at");--> statement-breakpoint
CREATE INDEX "eval_runs_bot_id_index" ON "eval_runs" USING btree ("bot_id");