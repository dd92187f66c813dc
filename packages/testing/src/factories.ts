/** Test-data factories (workspaces, users, plans, bots, documents, chunks, API keys); defined in @docent/db (see there). */
export * from "@docent/db/testing/factories";
