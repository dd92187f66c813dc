/**
 * Which responder answers for a workspace: its own provider and key (BYOK) when set,
 * else the platform default from env, else (the offline default) the extractive
 * responder. Keys are decrypted only here, per request, and never logged.
 */
import type { Database } from "@docent/db/client";
import { getTenantSettings } from "@docent/db/queries/tenant-settings";
import { ChatError } from "../errors";
import { createExtractiveResponder } from "./extractive";
import { createOpenAiResponder } from "./openai-responder";
import type { Responder } from "./types";

export interface PlatformLlm {
  provider: Responder["provider"];
  baseUrl: string | undefined;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
}

const DEFAULT_BASE_URLS: Partial<Record<Responder["provider"], string>> = {
  openai: "https://api.openai.com/v1",
  ollama: "http://127.0.0.1:11434/v1",
  lmstudio: "http://127.0.0.1:1234/v1",
  vllm: "http://127.0.0.1:8000/v1",
};

export function createResponderResolver(deps: {
  db: Database;
  platform: PlatformLlm;
  /** Opens a `*ApiKeyCiphertext` value (service-kit's secrets box). */
  decryptSecret(ciphertext: string, workspaceId: string): string;
}) {
  const extractive = createExtractiveResponder();
  const { platform } = deps;

  return async function responderFor(workspaceId: string, botModel: string | null): Promise<Responder> {
    const settings = await getTenantSettings(deps.db, workspaceId);
    if (settings?.llmProvider && settings.llmProvider !== "local") {
      const baseUrl = settings.llmBaseUrl ?? DEFAULT_BASE_URLS[settings.llmProvider];
      if (!baseUrl) {
        throw new ChatError("LLM_NOT_CONFIGURED", 409, "The workspace's model provider has no base URL; set it in the workspace's model settings.");
      }
      let apiKey = "not-needed";
      if (settings.llmApiKeyCiphertext) {
        try {
          apiKey = deps.decryptSecret(settings.llmApiKeyCiphertext, workspaceId);
        } catch (cause) {
          throw new ChatError("LLM_KEY_UNREADABLE", 500, "The workspace's model API key cannot be decrypted; enter it again in the workspace's model settings.", { cause });
        }
      }
      return createOpenAiResponder({
        provider: settings.llmProvider,
        baseUrl,
        apiKey,
        model: botModel ?? settings.llmModel ?? platform.model,
        timeoutMs: platform.timeoutMs,
      });
    }
    if (settings?.llmProvider !== "local" && platform.baseUrl) {
      return createOpenAiResponder({
        provider: platform.provider,
        baseUrl: platform.baseUrl,
        apiKey: platform.apiKey ?? "not-needed",
        model: botModel ?? platform.model,
        timeoutMs: platform.timeoutMs,
      });
    }
    return extractive;
  };
}
