import { defineConfig } from "vitest/config";
import { testProjects } from "./src/vitest";

export default defineConfig({ test: { projects: testProjects() } });
