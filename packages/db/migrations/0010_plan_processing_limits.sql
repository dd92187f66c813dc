ALTER TABLE "plans" ADD COLUMN "max_pdf_pages" integer DEFAULT 500 NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "max_doc_processing_seconds" integer DEFAULT 120 NOT NULL;