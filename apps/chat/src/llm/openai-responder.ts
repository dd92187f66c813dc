/**
 * Generation through the official `openai` client against any OpenAI-compatible
 * endpoint (the platform default or a workspace's own provider). Streams tokens and
 * reads usage from the final chunk; counts tokens locally when a server omits it.
 */
import OpenAI from "openai";
import { ChatError } from "../errors";
import { countTokens } from "./tokens";
import type { Generation, GenerationRequest, Responder } from "./types";

export interface OpenAiResponderOptions {
  provider: Responder["provider"];
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  /** Transport: the guarded fetch of @docent/outbound for a base URL a workspace chose. */
  fetch?: typeof fetch;
}

export function createOpenAiResponder(opts: OpenAiResponderOptions): Responder {
  const client = new OpenAI({
    baseURL: opts.baseUrl,
    apiKey: opts.apiKey,
    timeout: opts.timeoutMs,
    // One retry: a user is waiting, and a failing provider should surface quickly.
    maxRetries: 1,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  return {
    provider: opts.provider,
    model: opts.model,
    extractive: false,
    async generate(request: GenerationRequest, onToken): Promise<Generation> {
      let text = "";
      let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
      try {
        const stream = await client.chat.completions.create(
          {
            model: opts.model,
            messages: request.messages,
            temperature: request.temperature,
            max_tokens: request.maxTokens,
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: request.signal },
        );
        for await (const chunk of stream) {
          const piece = chunk.choices[0]?.delta?.content;
          if (piece) {
            text += piece;
            onToken(piece);
          }
          if (chunk.usage) usage = chunk.usage;
        }
      } catch (error) {
        if (request.signal?.aborted) throw error;
        const status = error instanceof OpenAI.APIError ? error.status : undefined;
        throw new ChatError(
          "LLM_UNAVAILABLE",
          status === 401 || status === 403
            ? "The language model provider rejected the configured API key; check the workspace's model settings."
            : "The language model provider failed to answer; try again shortly.",
          { retryable: status !== 401 && status !== 403, cause: error, details: status ? { providerStatus: status } : undefined },
        );
      }
      return {
        text,
        inputTokens: usage?.prompt_tokens ?? countTokens(request.messages.map((m) => m.content).join("\n")),
        outputTokens: usage?.completion_tokens ?? countTokens(text),
      };
    },
  };
}
