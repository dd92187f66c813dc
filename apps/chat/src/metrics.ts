/**
 * The chat service's own Prometheus metrics, recorded around its parts (app.ts wraps them)
 * rather than inside them: retrieval latency by mode, LLM latency, time to first token and
 * tokens by provider, and answers by channel and outcome. Embedding calls and HTTP requests
 * come from @docent/service-kit/metrics. No label carries a tenant's id or chosen model.
 */
import { DURATION_BUCKETS, type Registry } from "@docent/service-kit/metrics";
import { Counter, Histogram } from "prom-client";
import type { ChatService } from "./answer/service";
import type { Responder } from "./llm/types";
import type { RetrievalService } from "./retrieval/service";

/** Retrieval is usually milliseconds; the top buckets catch a cold HNSW walk or a slow embedder. */
const RETRIEVAL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createChatMetrics(registry: Registry) {
  const retrieval = new Histogram({
    name: "docent_retrieval_duration_seconds",
    help: "Retrieval of one question or search, by mode (vector, keyword, hybrid) and outcome (ok, error)",
    labelNames: ["mode", "outcome"] as const,
    buckets: RETRIEVAL_BUCKETS,
    registers: [registry],
  });
  const retrievalStage = new Histogram({
    name: "docent_retrieval_stage_duration_seconds",
    help: "Parts of a retrieval: embed (the question's vector), vector (the vector search), keyword (BM25)",
    labelNames: ["stage"] as const,
    buckets: RETRIEVAL_BUCKETS,
    registers: [registry],
  });
  const llmDuration = new Histogram({
    name: "docent_llm_request_duration_seconds",
    help: "Answer generation by provider (local: the offline extractive reader) and outcome (ok, error)",
    labelNames: ["provider", "outcome"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const firstToken = new Histogram({
    name: "docent_llm_time_to_first_token_seconds",
    help: "Time from sending the prompt to the first generated text, by provider",
    labelNames: ["provider"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "docent_llm_tokens_total",
    help: "Tokens of generated answers, by provider and direction (input: the prompt, output: the answer)",
    labelNames: ["provider", "direction"] as const,
    registers: [registry],
  });
  const answers = new Counter({
    name: "docent_answers_total",
    help: "Questions by channel (widget, api, playground) and outcome (answered, refused: the bot's refusal text, failed)",
    labelNames: ["channel", "outcome"] as const,
    registers: [registry],
  });

  return {
    /** The retrieval service, timing each call by the mode it ran in. */
    retrieval(service: RetrievalService): RetrievalService {
      return {
        ...service,
        async retrieve(params) {
          const end = retrieval.startTimer();
          try {
            const result = await service.retrieve(params);
            end({ mode: result.mode, outcome: "ok" });
            const legs = result.timingsMs;
            for (const stage of ["embed", "vector", "keyword"] as const) {
              if (legs[stage] > 0) retrievalStage.observe({ stage }, legs[stage] / 1000);
            }
            return result;
          } catch (error) {
            end({ mode: params.mode ?? params.bot.ragConfig.retrievalMode, outcome: "error" });
            throw error;
          }
        },
      };
    },

    /** A responder whose generations are timed and whose tokens are counted. */
    responder(responder: Responder): Responder {
      const provider = responder.provider;
      return {
        ...responder,
        async generate(request, onToken) {
          const started = performance.now();
          let first = true;
          const end = llmDuration.startTimer({ provider });
          try {
            const generation = await responder.generate(request, (text) => {
              if (first && text) {
                first = false;
                firstToken.observe({ provider }, (performance.now() - started) / 1000);
              }
              onToken(text);
            });
            end({ outcome: "ok" });
            tokens.inc({ provider, direction: "input" }, generation.inputTokens);
            tokens.inc({ provider, direction: "output" }, generation.outputTokens);
            return generation;
          } catch (error) {
            end({ outcome: "error" });
            throw error;
          }
        },
      };
    },

    /** The chat service, counting each question's outcome. */
    answers(chat: ChatService): ChatService {
      return {
        ...chat,
        async ask(params, events) {
          try {
            const answer = await chat.ask(params, events);
            answers.inc({ channel: params.channel, outcome: answer.refused ? "refused" : "answered" });
            return answer;
          } catch (error) {
            answers.inc({ channel: params.channel, outcome: "failed" });
            throw error;
          }
        },
      };
    },
  };
}
