/** Where the tests' PostgreSQL and Redis come from (defined in @docent/db). */
export * from "@docent/db/testing/services";
