/** Per-test-file databases; they live beside the migrations in @docent/db (see there). */
export * from "@docent/db/testing/db";
