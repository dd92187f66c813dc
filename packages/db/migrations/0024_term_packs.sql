CREATE SEQUENCE "public"."bot_term_stats_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "bot_term_packs" (
	"bot_id" uuid NOT NULL,
	"term" text NOT NULL,
	"version" bigint NOT NULL,
	"postings" "bytea" NOT NULL,
	CONSTRAINT "bot_term_packs_bot_id_term_pk" PRIMARY KEY("bot_id","term")
);
--> statement-breakpoint
ALTER TABLE "bot_term_stats" ADD COLUMN "version" bigint DEFAULT nextval('bot_term_stats_version_seq') NOT NULL;--> statement-breakpoint
ALTER TABLE "bot_term_packs" ADD CONSTRAINT "bot_term_packs_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;