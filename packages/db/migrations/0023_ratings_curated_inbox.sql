CREATE TABLE "curated_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"embedding" vector(768) NOT NULL,
	"embedding_model" varchar(200) NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"hit_count" integer DEFAULT 0 NOT NULL,
	"last_hit_at" timestamp with time zone,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "curated_answers_question_length" CHECK (char_length("curated_answers"."question") between 1 and 2000),
	CONSTRAINT "curated_answers_answer_length" CHECK (char_length("curated_answers"."answer") between 1 and 10000)
);
--> statement-breakpoint
ALTER TABLE "bots" ALTER COLUMN "model_settings" SET DEFAULT '{"model":null,"temperature":0.2,"maxTokens":800,"strict":true,"refusalText":"I could not find that in my documents. Could you rephrase, or ask about something else?","historyTokenBudget":1500,"curatedThreshold":0.6}'::jsonb;--> statement-breakpoint
ALTER TABLE "analytics_feedback" ALTER COLUMN "rating" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "widget_configurations" ADD COLUMN "offer_stars" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD COLUMN "curated_answer_id" uuid;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD COLUMN "handled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "analytics_feedback" ADD COLUMN "stars" smallint;--> statement-breakpoint
ALTER TABLE "curated_answers" ADD CONSTRAINT "curated_answers_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "curated_answers" ADD CONSTRAINT "curated_answers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "curated_answers" ADD CONSTRAINT "curated_answers_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "curated_answers_bot_id_created_at_index" ON "curated_answers" USING btree ("bot_id","created_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD CONSTRAINT "analytics_query_logs_curated_answer_id_curated_answers_id_fk" FOREIGN KEY ("curated_answer_id") REFERENCES "public"."curated_answers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_feedback" ADD CONSTRAINT "analytics_feedback_stars" CHECK ("analytics_feedback"."stars" between 1 and 5);--> statement-breakpoint
ALTER TABLE "analytics_feedback" ADD CONSTRAINT "analytics_feedback_some_rating" CHECK ("analytics_feedback"."rating" is not null or "analytics_feedback"."stars" is not null);--> statement-breakpoint
ALTER TABLE "analytics_feedback" ADD CONSTRAINT "analytics_feedback_comment_length" CHECK (char_length("analytics_feedback"."comment") <= 2000);