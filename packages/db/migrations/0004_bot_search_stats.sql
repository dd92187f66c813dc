CREATE TABLE "bot_search_stats" (
	"bot_id" uuid PRIMARY KEY NOT NULL,
	"chunk_count" bigint DEFAULT 0 NOT NULL,
	"total_length" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_term_stats" (
	"bot_id" uuid NOT NULL,
	"term" text NOT NULL,
	"doc_freq" integer NOT NULL,
	CONSTRAINT "bot_term_stats_bot_id_term_pk" PRIMARY KEY("bot_id","term")
);
--> statement-breakpoint
ALTER TABLE "bot_search_stats" ADD CONSTRAINT "bot_search_stats_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_term_stats" ADD CONSTRAINT "bot_term_stats_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;