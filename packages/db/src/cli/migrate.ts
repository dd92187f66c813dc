import { envFields, loadEnvOrExit } from "@docent/config/env";
import { createLogger } from "@docent/config/logger";
import { z } from "zod";
import { runMigrations } from "../migrate";

const env = loadEnvOrExit(z.object({ DATABASE_URL: envFields.databaseUrl }));
const log = createLogger({ service: "migrate", level: "info" });

const started = Date.now();
await runMigrations(env.DATABASE_URL);
log.info({ ms: Date.now() - started }, "migrations applied");
