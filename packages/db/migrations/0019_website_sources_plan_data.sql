-- The catalog's plans get their website source limits (pages per source, crawls per
-- month), as packages/db/src/catalog.ts sets them for new installations. Start-up does not
-- rewrite plans, so existing installations get them only here; plans an operator made keep
-- no limit (null) until edited.
UPDATE "plans" SET "max_pages_per_source" = 50, "max_crawls_per_month" = 30
WHERE "code" = 'free' AND "max_pages_per_source" IS NULL AND "max_crawls_per_month" IS NULL;
--> statement-breakpoint
UPDATE "plans" SET "max_pages_per_source" = 1000, "max_crawls_per_month" = 300
WHERE "code" = 'pro' AND "max_pages_per_source" IS NULL AND "max_crawls_per_month" IS NULL;
--> statement-breakpoint
UPDATE "plans" SET "max_pages_per_source" = 10000, "max_crawls_per_month" = 3000
WHERE "code" = 'business' AND "max_pages_per_source" IS NULL AND "max_crawls_per_month" IS NULL;
