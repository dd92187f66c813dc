/**
 * Opening a workspace's own provider keys (BYOK: model, embedding, reranker), sealed by
 * the API with the key ring (`./crypto/secrets`, associated data `byokAad`). One opener
 * and one error for every service that uses them (chat for answers and reranking, chat and
 * the worker for embeddings), so a key the server cannot read fails the same way
 * everywhere. The opened key is used per call and never logged.
 */
import { byokAad, type SecretBox } from "./crypto/secrets";
import { AppError } from "./errors";

export type WorkspaceKeyField = "llm" | "embedding" | "rerank";

const KEY_NAMES: Record<WorkspaceKeyField, string> = { llm: "model", embedding: "embedding", rerank: "reranker" };
const UNREADABLE = {
  llm: "LLM_KEY_UNREADABLE",
  embedding: "EMBEDDING_KEY_UNREADABLE",
  rerank: "RERANK_KEY_UNREADABLE",
} as const satisfies Record<WorkspaceKeyField, string>;

/**
 * A workspace's stored key cannot be used by this server. Retrying cannot help
 * (`retryable: false`), and the message is written for people: the worker shows it on the
 * failed document, the chat service answers it with a 500.
 */
export class WorkspaceKeyError extends AppError {
  constructor(code: "ENCRYPTION_NOT_CONFIGURED" | (typeof UNREADABLE)[WorkspaceKeyField], message: string, cause?: unknown) {
    super(message, { code, statusCode: 500, retryable: false, expose: true, cause });
  }
}

/** The plain key of a workspace's `field`; throws WorkspaceKeyError when it cannot be opened. */
export function openWorkspaceKey(secrets: SecretBox | null, ciphertext: string, workspaceId: string, field: WorkspaceKeyField): string {
  if (!secrets) {
    throw new WorkspaceKeyError("ENCRYPTION_NOT_CONFIGURED", "This server cannot read workspace API keys: DOCENT_ENCRYPTION_KEYS is not set");
  }
  try {
    return secrets.open(ciphertext, byokAad(workspaceId, field));
  } catch (cause) {
    throw new WorkspaceKeyError(
      UNREADABLE[field],
      `The workspace's ${KEY_NAMES[field]} API key cannot be decrypted; enter it again in the workspace's model settings.`,
      cause,
    );
  }
}
