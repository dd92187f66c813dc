/** What route modules receive from buildApp (app.ts). */
import type { DbHandle } from "@docent/db/client";
import type { WebhookEmitter } from "@docent/service-kit/webhooks";
import type { ErrorLogWriter } from "@docent/service-kit/error-log";
import type { ChatService } from "../answer/service";
import type { FeedbackService } from "../answer/feedback";
import type { ChatEnv } from "../env";
import type { CuratedService } from "../curated/service";
import type { EvalService } from "../evals/service";
import type { AuthorizeBot } from "../http/auth";
import type { Limiter } from "../http/rate-limit";
import type { SearchService } from "../retrieval/search";
import type { RetrievalService } from "../retrieval/service";
import type { MeteredRetrieval } from "../usage/metered-retrieval";
import type { TopicService } from "../topics/service";

export interface AppDeps {
  env: ChatEnv;
  db: DbHandle["db"];
  /** The raw postgres.js client, for cursors (streamed exports). */
  sql: DbHandle["sql"];
  topics: TopicService;
  retrieval: RetrievalService;
  /** The search API: search metered against the plan and logged for analytics (/retrieve, MCP). */
  searches: MeteredRetrieval;
  /** Retrieval followed by the bot's reranking: what answers, evaluations and the metered search use. */
  search: SearchService;
  chat: ChatService;
  feedback: FeedbackService;
  curated: CuratedService;
  limiter: Limiter;
  authorizeBot: AuthorizeBot;
  evals: EvalService;
  /** Where 5xx answers are recorded (the OpenAI-compatible and MCP routes have their own error handlers). */
  errorLog: ErrorLogWriter;
  /** Events for the workspaces' webhooks (handoff requests). */
  webhooks: WebhookEmitter;
}
