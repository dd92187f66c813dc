/** A TCP relay a test can switch off and on (defined in @docent/db, whose tests use it too). */
export * from "@docent/db/testing/relay";
