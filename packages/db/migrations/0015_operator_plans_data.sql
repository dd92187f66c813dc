-- Existing plans get a search API allowance of five times their question allowance (a
-- search costs an embedding call and index reads, no LLM tokens); Free is the default plan
-- new workspaces start on, as before; and Business, when still at the old catalog values,
-- grows to 10,000 documents per bot and 20,000 processing jobs a month so a 5,000-document
-- knowledge base fits (and can be re-indexed). Start-up no longer rewrites plans, so these
-- catalog changes reach existing installations only here.
UPDATE "plans"
SET "max_retrievals_per_month" = CASE
  WHEN "max_queries_per_month" IS NULL THEN NULL
  ELSE least("max_queries_per_month"::bigint * 5, 2147483647)::integer
END;
--> statement-breakpoint
UPDATE "plans" SET "is_default" = true
WHERE "code" = 'free' AND NOT EXISTS (SELECT 1 FROM "plans" WHERE "is_default");
--> statement-breakpoint
UPDATE "plans" SET "max_documents_per_bot" = 10000
WHERE "code" = 'business' AND "max_documents_per_bot" = 1000;
--> statement-breakpoint
UPDATE "plans" SET "max_doc_processing_jobs_per_month" = 20000
WHERE "code" = 'business' AND "max_doc_processing_jobs_per_month" = 5000;
