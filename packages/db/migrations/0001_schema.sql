CREATE TYPE "public"."auth_provider" AS ENUM('email', 'google', 'github');--> statement-breakpoint
CREATE TYPE "public"."bot_status" AS ENUM('CREATING', 'PROCESSING_DOCUMENTS', 'READY', 'ERROR', 'UPDATING', 'DISABLED');--> statement-breakpoint
CREATE TYPE "public"."conversation_channel" AS ENUM('widget', 'api', 'playground');--> statement-breakpoint
CREATE TYPE "public"."document_source_type" AS ENUM('FILE_UPLOAD', 'URL', 'MANUAL_TEXT', 'CSV_STRUCTURED', 'JSON_STRUCTURED');--> statement-breakpoint
CREATE TYPE "public"."document_status" AS ENUM('PENDING', 'PROCESSING', 'PROCESSED', 'FAILED');--> statement-breakpoint
CREATE TYPE "public"."message_role" AS ENUM('USER', 'ASSISTANT', 'SYSTEM');--> statement-breakpoint
CREATE TYPE "public"."model_provider" AS ENUM('openai', 'openai_compatible', 'ollama', 'vllm', 'lmstudio', 'local');--> statement-breakpoint
CREATE TYPE "public"."platform_role" AS ENUM('USER', 'ADMIN');--> statement-breakpoint
CREATE TYPE "public"."subscription_status" AS ENUM('TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED');--> statement-breakpoint
CREATE TYPE "public"."user_status" AS ENUM('ACTIVE', 'PENDING_VERIFICATION', 'SUSPENDED');--> statement-breakpoint
CREATE TYPE "public"."widget_position" AS ENUM('bottom-right', 'bottom-left');--> statement-breakpoint
CREATE TYPE "public"."widget_theme" AS ENUM('light', 'dark', 'auto');--> statement-breakpoint
CREATE TYPE "public"."workspace_role" AS ENUM('OWNER', 'ADMIN', 'MEMBER');--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(320) NOT NULL,
	"name" varchar(255),
	"image_url" text,
	"role" "platform_role" DEFAULT 'USER' NOT NULL,
	"status" "user_status" DEFAULT 'ACTIVE' NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email"))
);
--> statement-breakpoint
CREATE TABLE "auth_methods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" "auth_provider" NOT NULL,
	"provider_account_id" varchar(320) NOT NULL,
	"password_hash" text,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auth_methods_provider_providerAccountId_unique" UNIQUE("provider","provider_account_id"),
	CONSTRAINT "auth_methods_userId_provider_unique" UNIQUE("user_id","provider")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip_address" varchar(64),
	"user_agent" text,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "user_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"theme" varchar(16) DEFAULT 'system' NOT NULL,
	"locale" varchar(16) DEFAULT 'en' NOT NULL,
	"timezone" varchar(64) DEFAULT 'UTC' NOT NULL,
	"default_workspace_id" uuid,
	"email_notifications" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(120) NOT NULL,
	"slug" varchar(64) NOT NULL,
	"is_personal" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "workspace_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "workspace_role" DEFAULT 'MEMBER' NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_members_workspaceId_userId_unique" UNIQUE("workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(32) NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" text,
	"price_monthly" numeric(10, 2) DEFAULT '0.00' NOT NULL,
	"max_bots" integer DEFAULT 1 NOT NULL,
	"max_documents_per_bot" integer DEFAULT 5 NOT NULL,
	"max_total_document_storage_gb" real DEFAULT 1 NOT NULL,
	"max_file_size_mb" integer DEFAULT 50 NOT NULL,
	"max_queries_per_month" integer DEFAULT 1000 NOT NULL,
	"max_doc_processing_jobs_per_month" integer DEFAULT 10 NOT NULL,
	"allow_advanced_rag_config" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_code_unique" UNIQUE("code"),
	CONSTRAINT "plans_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"status" "subscription_status" DEFAULT 'ACTIVE' NOT NULL,
	"current_period_start" timestamp with time zone DEFAULT now() NOT NULL,
	"current_period_end" timestamp with time zone NOT NULL,
	"auto_renew" boolean DEFAULT true NOT NULL,
	"canceled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_counters" (
	"workspace_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"queries" integer DEFAULT 0 NOT NULL,
	"processing_jobs" integer DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_counters_workspace_id_period_start_pk" PRIMARY KEY("workspace_id","period_start")
);
--> statement-breakpoint
CREATE TABLE "tenant_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"llm_provider" "model_provider",
	"llm_base_url" text,
	"llm_model" varchar(200),
	"llm_api_key_ciphertext" text,
	"llm_api_key_hint" varchar(32),
	"embedding_provider" "model_provider",
	"embedding_base_url" text,
	"embedding_model" varchar(200),
	"embedding_api_key_ciphertext" text,
	"embedding_api_key_hint" varchar(32),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" varchar(64) NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"category" varchar(100),
	"default_rag_config" jsonb DEFAULT '{"chunkSize":400,"chunkOverlap":60,"topK":5,"retrievalMode":"hybrid","minScore":0,"fusionWeights":{"vector":1,"keyword":1}}'::jsonb NOT NULL,
	"sample_system_prompt" text,
	"sample_queries" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"icon_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "templates_slug_unique" UNIQUE("slug"),
	CONSTRAINT "templates_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "bots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"created_by" uuid,
	"template_id" uuid,
	"name" varchar(255) NOT NULL,
	"description" text,
	"public_id" varchar(32) NOT NULL,
	"rag_config" jsonb DEFAULT '{"chunkSize":400,"chunkOverlap":60,"topK":5,"retrievalMode":"hybrid","minScore":0,"fusionWeights":{"vector":1,"keyword":1}}'::jsonb NOT NULL,
	"model_settings" jsonb DEFAULT '{"model":null,"temperature":0.2,"maxTokens":800,"strict":true,"refusalText":"I could not find that in my documents. Could you rephrase, or ask about something else?","historyTokenBudget":1500}'::jsonb NOT NULL,
	"active_prompt_id" uuid,
	"status" "bot_status" DEFAULT 'CREATING' NOT NULL,
	"language" varchar(32) DEFAULT 'english' NOT NULL,
	"last_activity_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bots_publicId_unique" UNIQUE("public_id")
);
--> statement-breakpoint
CREATE TABLE "bot_prompts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"name" varchar(255) NOT NULL,
	"content" text NOT NULL,
	"is_active" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_prompts_botId_version_unique" UNIQUE("bot_id","version")
);
--> statement-breakpoint
CREATE TABLE "widget_configurations" (
	"bot_id" uuid PRIMARY KEY NOT NULL,
	"header_text" varchar(100) DEFAULT 'Chat Assistant' NOT NULL,
	"initial_greeting" varchar(500) DEFAULT 'Hello! How can I help you today?' NOT NULL,
	"input_placeholder" varchar(120) DEFAULT 'Ask a question...' NOT NULL,
	"primary_color" varchar(7) DEFAULT '#2563eb' NOT NULL,
	"text_color" varchar(7) DEFAULT '#ffffff' NOT NULL,
	"background_color" varchar(7) DEFAULT '#ffffff' NOT NULL,
	"position" "widget_position" DEFAULT 'bottom-right' NOT NULL,
	"theme" "widget_theme" DEFAULT 'light' NOT NULL,
	"width" integer DEFAULT 380 NOT NULL,
	"height" integer DEFAULT 560 NOT NULL,
	"show_sources" boolean DEFAULT true NOT NULL,
	"avatar_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "widget_primary_color_hex" CHECK ("widget_configurations"."primary_color" ~ '^#[0-9a-fA-F]{6}$'),
	CONSTRAINT "widget_text_color_hex" CHECK ("widget_configurations"."text_color" ~ '^#[0-9a-fA-F]{6}$'),
	CONSTRAINT "widget_background_color_hex" CHECK ("widget_configurations"."background_color" ~ '^#[0-9a-fA-F]{6}$'),
	CONSTRAINT "widget_size_bounds" CHECK ("widget_configurations"."width" between 280 and 800 and "widget_configurations"."height" between 360 and 1000)
);
--> statement-breakpoint
CREATE TABLE "bot_allowed_origins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"origin" varchar(300) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_allowed_origins_botId_origin_unique" UNIQUE("bot_id","origin")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"bot_id" uuid,
	"created_by" uuid,
	"name" varchar(120) NOT NULL,
	"prefix" varchar(32) NOT NULL,
	"key_hash" varchar(64) NOT NULL,
	"scopes" text[] NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "bot_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"created_by" uuid,
	"name" varchar(255) NOT NULL,
	"source_type" "document_source_type" DEFAULT 'FILE_UPLOAD' NOT NULL,
	"mime_type" varchar(127),
	"size_bytes" bigint DEFAULT 0 NOT NULL,
	"storage_key" text,
	"source_url" text,
	"content_hash" varchar(64),
	"status" "document_status" DEFAULT 'PENDING' NOT NULL,
	"error_message" text,
	"stage" varchar(16),
	"progress" smallint DEFAULT 0 NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"processed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_documents_storageKey_unique" UNIQUE("storage_key"),
	CONSTRAINT "bot_documents_progress_range" CHECK ("bot_documents"."progress" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "bot_document_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"chunk_index" integer NOT NULL,
	"content" text NOT NULL,
	"content_hash" varchar(64) NOT NULL,
	"token_count" integer NOT NULL,
	"metadata" jsonb NOT NULL,
	"embedding" vector(768) NOT NULL,
	"embedding_model" varchar(200) NOT NULL,
	"text_search_config" "regconfig" DEFAULT 'english' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_document_chunks_documentId_chunkIndex_unique" UNIQUE("document_id","chunk_index")
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"channel" "conversation_channel" NOT NULL,
	"visitor_id" varchar(128),
	"user_id" uuid,
	"api_key_id" uuid,
	"title" varchar(255),
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_message_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"role" "message_role" NOT NULL,
	"content" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_citations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"chunk_id" uuid,
	"document_id" uuid,
	"rank" integer NOT NULL,
	"score" real NOT NULL,
	"quote" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_citations_messageId_rank_unique" UNIQUE("message_id","rank")
);
--> statement-breakpoint
CREATE TABLE "analytics_query_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"conversation_id" uuid,
	"message_id" uuid,
	"querying_user_id" uuid,
	"session_id" varchar(255),
	"channel" "conversation_channel" NOT NULL,
	"query_text" text NOT NULL,
	"llm_model_used" varchar(200),
	"llm_provider_used" "model_provider",
	"response_time_ms" integer,
	"source_documents_count" integer DEFAULT 0 NOT NULL,
	"top_score" real,
	"input_tokens" integer,
	"output_tokens" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"query_log_id" uuid NOT NULL,
	"rating" smallint NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_feedback_queryLogId_unique" UNIQUE("query_log_id"),
	CONSTRAINT "analytics_feedback_rating" CHECK ("analytics_feedback"."rating" in (-1, 1))
);
--> statement-breakpoint
CREATE TABLE "document_retrieval_stats" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"bot_id" uuid NOT NULL,
	"retrieval_count" bigint DEFAULT 0 NOT NULL,
	"citation_count" bigint DEFAULT 0 NOT NULL,
	"last_retrieved_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "auth_methods" ADD CONSTRAINT "auth_methods_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD CONSTRAINT "user_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD CONSTRAINT "user_preferences_default_workspace_id_workspaces_id_fk" FOREIGN KEY ("default_workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_members" ADD CONSTRAINT "workspace_members_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_members" ADD CONSTRAINT "workspace_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_members" ADD CONSTRAINT "workspace_members_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bots" ADD CONSTRAINT "bots_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bots" ADD CONSTRAINT "bots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bots" ADD CONSTRAINT "bots_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bots" ADD CONSTRAINT "bots_active_prompt_id_bot_prompts_id_fk" FOREIGN KEY ("active_prompt_id") REFERENCES "public"."bot_prompts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_prompts" ADD CONSTRAINT "bot_prompts_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_prompts" ADD CONSTRAINT "bot_prompts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "widget_configurations" ADD CONSTRAINT "widget_configurations_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_allowed_origins" ADD CONSTRAINT "bot_allowed_origins_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_documents" ADD CONSTRAINT "bot_documents_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_documents" ADD CONSTRAINT "bot_documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_document_chunks" ADD CONSTRAINT "bot_document_chunks_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_document_chunks" ADD CONSTRAINT "bot_document_chunks_document_id_bot_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."bot_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_citations" ADD CONSTRAINT "message_citations_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_citations" ADD CONSTRAINT "message_citations_chunk_id_bot_document_chunks_id_fk" FOREIGN KEY ("chunk_id") REFERENCES "public"."bot_document_chunks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_citations" ADD CONSTRAINT "message_citations_document_id_bot_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."bot_documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD CONSTRAINT "analytics_query_logs_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD CONSTRAINT "analytics_query_logs_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD CONSTRAINT "analytics_query_logs_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD CONSTRAINT "analytics_query_logs_querying_user_id_users_id_fk" FOREIGN KEY ("querying_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_feedback" ADD CONSTRAINT "analytics_feedback_query_log_id_analytics_query_logs_id_fk" FOREIGN KEY ("query_log_id") REFERENCES "public"."analytics_query_logs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_retrieval_stats" ADD CONSTRAINT "document_retrieval_stats_document_id_bot_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."bot_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_retrieval_stats" ADD CONSTRAINT "document_retrieval_stats_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_role_index" ON "users" USING btree ("role");--> statement-breakpoint
CREATE INDEX "users_status_index" ON "users" USING btree ("status");--> statement-breakpoint
CREATE INDEX "auth_methods_user_id_index" ON "auth_methods" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_id_index" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_index" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "workspaces_created_by_index" ON "workspaces" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "workspace_members_user_id_index" ON "workspace_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "subscriptions_plan_id_index" ON "subscriptions" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_one_live_per_workspace" ON "subscriptions" USING btree ("workspace_id") WHERE "subscriptions"."status" <> 'CANCELED';--> statement-breakpoint
CREATE INDEX "templates_category_index" ON "templates" USING btree ("category");--> statement-breakpoint
CREATE INDEX "bots_workspace_id_index" ON "bots" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "bots_template_id_index" ON "bots" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "bots_status_index" ON "bots" USING btree ("status");--> statement-breakpoint
CREATE INDEX "bots_active_prompt_id_index" ON "bots" USING btree ("active_prompt_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bot_prompts_one_active_per_bot" ON "bot_prompts" USING btree ("bot_id") WHERE "bot_prompts"."is_active";--> statement-breakpoint
CREATE INDEX "api_keys_workspace_id_index" ON "api_keys" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "api_keys_bot_id_index" ON "api_keys" USING btree ("bot_id");--> statement-breakpoint
CREATE INDEX "bot_documents_bot_id_source_type_status_index" ON "bot_documents" USING btree ("bot_id","source_type","status");--> statement-breakpoint
CREATE INDEX "bot_documents_status_updated_at_index" ON "bot_documents" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "bot_document_chunks_bot_id_index" ON "bot_document_chunks" USING btree ("bot_id");--> statement-breakpoint
CREATE INDEX "conversations_bot_id_started_at_index" ON "conversations" USING btree ("bot_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conversations_bot_id_channel_index" ON "conversations" USING btree ("bot_id","channel");--> statement-breakpoint
CREATE INDEX "conversations_visitor_id_index" ON "conversations" USING btree ("visitor_id");--> statement-breakpoint
CREATE INDEX "messages_conversation_id_created_at_index" ON "messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "message_citations_document_id_index" ON "message_citations" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "message_citations_chunk_id_index" ON "message_citations" USING btree ("chunk_id");--> statement-breakpoint
CREATE INDEX "analytics_query_logs_bot_id_created_at_index" ON "analytics_query_logs" USING btree ("bot_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "analytics_query_logs_querying_user_id_index" ON "analytics_query_logs" USING btree ("querying_user_id");--> statement-breakpoint
CREATE INDEX "analytics_query_logs_session_id_index" ON "analytics_query_logs" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "analytics_query_logs_llm_provider_used_index" ON "analytics_query_logs" USING btree ("llm_provider_used");--> statement-breakpoint
CREATE INDEX "analytics_query_logs_message_id_index" ON "analytics_query_logs" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "document_retrieval_stats_bot_id_index" ON "document_retrieval_stats" USING btree ("bot_id");