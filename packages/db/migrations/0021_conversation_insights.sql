CREATE TABLE "chatbot_topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bot_id" uuid NOT NULL,
	"name" varchar(80) NOT NULL,
	"color" varchar(7) NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"examples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"centroid" vector(768) NOT NULL,
	"embedding_model" varchar(200) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chatbot_topics_botId_name_unique" UNIQUE("bot_id","name"),
	CONSTRAINT "chatbot_topics_color" CHECK ("chatbot_topics"."color" ~ '^#[0-9a-f]{6}$')
);
--> statement-breakpoint
CREATE TABLE "chatbot_topic_stats" (
	"topic_id" uuid NOT NULL,
	"bot_id" uuid NOT NULL,
	"day" date NOT NULL,
	"messages" integer NOT NULL,
	"conversations" integer NOT NULL,
	"thumbs_up" integer NOT NULL,
	"thumbs_down" integer NOT NULL,
	"avg_rating" real,
	"unanswered" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chatbot_topic_stats_topic_id_day_pk" PRIMARY KEY("topic_id","day")
);
--> statement-breakpoint
ALTER TABLE "bots" ADD COLUMN "topic_threshold" real DEFAULT 0.35 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD COLUMN "topic_id" uuid;--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD COLUMN "question_embedding" vector(768);--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD COLUMN "question_embedding_model" varchar(200);--> statement-breakpoint
ALTER TABLE "chatbot_topics" ADD CONSTRAINT "chatbot_topics_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chatbot_topic_stats" ADD CONSTRAINT "chatbot_topic_stats_topic_id_chatbot_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."chatbot_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chatbot_topic_stats" ADD CONSTRAINT "chatbot_topic_stats_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chatbot_topics_bot_id_index" ON "chatbot_topics" USING btree ("bot_id");--> statement-breakpoint
CREATE INDEX "chatbot_topic_stats_bot_id_day_index" ON "chatbot_topic_stats" USING btree ("bot_id","day");--> statement-breakpoint
ALTER TABLE "analytics_query_logs" ADD CONSTRAINT "analytics_query_logs_topic_id_chatbot_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."chatbot_topics"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_query_logs_bot_id_topic_id_created_at_index" ON "analytics_query_logs" USING btree ("bot_id","topic_id","created_at");--> statement-breakpoint
ALTER TABLE "bots" ADD CONSTRAINT "bots_topic_threshold" CHECK ("bots"."topic_threshold" >= 0 and "bots"."topic_threshold" <= 1);