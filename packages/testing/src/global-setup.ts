/** vitest globalSetup for suites that touch PostgreSQL or Redis (defined in @docent/db). */
export { default } from "@docent/db/testing/global-setup";
