/**
 * Which responder answers for a workspace: its own provider and key (BYOK) when set,
 * else the platform default from env, else (the offline default) the extractive
 * responder. Keys are decrypted only here, per request, and never logged.
 *
 * A workspace's provider is reached only at the base URL it saved (OpenAI's own API is
 * the one default), through the guarded fetch of @docent/outbound: the address policy is
 * checked when each connection opens, so a name that resolved to a public address when
 * it was saved and to a private one now is refused before the prompt leaves. The
 * platform's LLM_BASE_URL is the operator's and trusted (it may be a local model server).
 */
import type { Database } from "@docent/db/client";
import { getTenantSettings } from "@docent/db/queries/tenant-settings";
import { findUnsafeAddressError, sharedGuardedFetch } from "@docent/outbound";
import type { SecretBox } from "@docent/service-kit/crypto/secrets";
import { openWorkspaceKey } from "@docent/service-kit/workspace-keys";
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

/** The only base URL a workspace setting may leave out. */
const OPENAI_BASE_URL = "https://api.openai.com/v1";

export function createResponderResolver(deps: {
  db: Database;
  platform: PlatformLlm;
  /** Opens the workspace's sealed model key; null when the server has no DOCENT_ENCRYPTION_KEYS. */
  secrets: SecretBox | null;
  /**
   * Carries requests to a workspace's provider: a guarded fetch of @docent/outbound
   * (`sharedGuardedFetch(env.ALLOW_PRIVATE_MODEL_URLS)`). Default: public addresses only.
   */
  workspaceFetch?: typeof fetch;
}) {
  const extractive = createExtractiveResponder();
  const { platform } = deps;
  const workspaceFetch = deps.workspaceFetch ?? sharedGuardedFetch();

  return async function responderFor(workspaceId: string, botModel: string | null): Promise<Responder> {
    const settings = await getTenantSettings(deps.db, workspaceId);
    if (settings?.llmProvider && settings.llmProvider !== "local") {
      const baseUrl = settings.llmBaseUrl ?? (settings.llmProvider === "openai" ? OPENAI_BASE_URL : undefined);
      if (!baseUrl) {
        throw new ChatError("LLM_NOT_CONFIGURED", 409, "The workspace's model provider has no base URL; set it in the workspace's model settings.");
      }
      const apiKey = settings.llmApiKeyCiphertext
        ? openWorkspaceKey(deps.secrets, settings.llmApiKeyCiphertext, workspaceId, "llm")
        : "not-needed";
      return explainRefusedAddress(
        createOpenAiResponder({
          provider: settings.llmProvider,
          baseUrl,
          apiKey,
          model: botModel ?? settings.llmModel ?? platform.model,
          timeoutMs: platform.timeoutMs,
          fetch: workspaceFetch,
        }),
      );
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

/** A generation the address policy stopped fails with that reason, not "try again shortly". */
function explainRefusedAddress(responder: Responder): Responder {
  return {
    ...responder,
    async generate(request, onToken) {
      try {
        return await responder.generate(request, onToken);
      } catch (error) {
        const refused = findUnsafeAddressError(error);
        if (!refused) throw error;
        throw new ChatError(
          "LLM_URL_REFUSED",
          409,
          `The workspace's model base URL is not allowed: ${refused.message} The question was not sent. ` +
            "Set a public base URL in the workspace's model settings.",
          { cause: error, retryable: false },
        );
      }
    },
  };
}
