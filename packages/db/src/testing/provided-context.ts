/** What the global setup (global-setup.ts) provides to every test file through `inject`. */
declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    templateDatabase: string;
  }
}

export {};
