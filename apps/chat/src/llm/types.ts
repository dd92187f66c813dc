export interface PromptMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A numbered source as the model sees it: `[index]` in the prompt and in the answer. */
export interface PromptSource {
  index: number;
  content: string;
  /** The source's retrieval score (0-1); the extractive responder favours better sources. */
  score: number;
}

export interface GenerationRequest {
  messages: PromptMessage[];
  /** The user's question and the sources, for responders that do not read prose prompts. */
  question: string;
  sources: PromptSource[];
  temperature: number;
  maxTokens: number;
  signal?: AbortSignal;
}

export interface Generation {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** Produces an answer, calling `onToken` with each piece as it is generated. */
export interface Responder {
  /** `model_provider` enum value recorded in analytics ("openai_compatible", "local"...). */
  provider: "openai" | "openai_compatible" | "ollama" | "vllm" | "lmstudio" | "local";
  model: string;
  /** True for the offline extractive responder: the answer quotes sources verbatim. */
  extractive: boolean;
  generate(request: GenerationRequest, onToken: (text: string) => void): Promise<Generation>;
}
