/** Runs the real worker (its shipped start command) as a child process for crash tests. */
import type { ServiceProcess } from "@docent/testing/process";
import { spawnWorkerProcess } from "../src/start-command";

export type SpawnedWorker = ServiceProcess;

export const spawnWorker = (env: Record<string, string>): SpawnedWorker => spawnWorkerProcess(env);
