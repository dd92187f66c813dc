/**
 * One bot as a Model Context Protocol server: two tools, `search_documents` (ranked
 * passages with document, page and score, through the same retrieval and reranking as
 * answers) and `ask` (the bot's answer with verified citations, through the answer
 * service every channel uses). Tool descriptions are written from the bot's name and
 * description, so a client's model knows what the bot knows about.
 *
 * A server is built per HTTP request (the transport is stateless, see routes/mcp.ts), so
 * it holds nothing between requests.
 */
import type { Bot } from "@docent/db/queries/bots";
import { normalizeError } from "@docent/http-kit/error-handler";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { type ChatService, MAX_QUESTION_CHARS } from "../answer/service";
import type { SearchService } from "../retrieval/search";

export interface BotMcpDeps {
  /** Search as the caller pays for it (routes/mcp.ts passes the metered search). */
  search: Pick<SearchService, "retrieve">;
  chat: ChatService;
  /** Version reported in `serverInfo`. */
  version: string;
}

export interface BotMcpCaller {
  apiKeyId: string;
  requestId: string;
  /** The MCP client's own label for its end user, stored with the conversation. */
  sessionId?: string | null;
}

const MAX_SEARCH_RESULTS = 20;
/** Bots' descriptions go into every tool list; long ones are cut. */
const DESCRIPTION_CHARS = 600;

const about = (bot: Bot) => {
  const description = bot.description?.trim().replace(/\s+/g, " ");
  if (!description) return `"${bot.name}"`;
  const cut = description.length > DESCRIPTION_CHARS ? `${description.slice(0, DESCRIPTION_CHARS - 1)}…` : description;
  return `"${bot.name}" (${cut})`;
};

const passageSchema = z.object({
  rank: z.number().int(),
  documentId: z.string(),
  documentName: z.string(),
  page: z.number().int().nullable(),
  headingPath: z.array(z.string()),
  score: z.number().describe("The retrieval mode's score, 0-1."),
  rerankScore: z.number().nullable().describe("The reranker's relevance score, when the bot reranks."),
  text: z.string(),
});

const citationSchema = z.object({
  index: z.number().int().describe("The [n] marker in the answer."),
  documentId: z.string(),
  documentName: z.string(),
  page: z.number().int().nullable(),
  headingPath: z.array(z.string()),
  score: z.number(),
  quote: z.string(),
});

/** A failure the caller can act on becomes a tool error with its message; internals never leave. */
function toolError(error: unknown, requestId: string): CallToolResult {
  const e = normalizeError(error);
  const message = e.expose ? e.message : `Internal error (request ${requestId})`;
  return {
    isError: true,
    content: [{ type: "text", text: `${message} [${e.code}]` }],
  };
}

export function createBotMcpServer(deps: BotMcpDeps, bot: Bot, caller: BotMcpCaller): McpServer {
  const server = new McpServer(
    { name: `docent-${bot.publicId}`, title: bot.name, version: deps.version },
    {
      capabilities: { tools: {} },
      instructions: `Documents of ${about(bot)}. Use search_documents to read passages, ask for a grounded answer with citations.`,
    },
  );

  server.registerTool(
    "search_documents",
    {
      title: `Search ${bot.name}`,
      description: `Search the documents of ${about(bot)} and return the most relevant passages, best first, each with its document, page, heading and score.`,
      inputSchema: {
        query: z.string().trim().min(1).max(2_000).describe("What to look for, in words the documents would use."),
        limit: z.number().int().min(1).max(MAX_SEARCH_RESULTS).optional().describe(`Passages to return (default: the bot's top-k, at most ${MAX_SEARCH_RESULTS}).`),
      },
      outputSchema: { passages: z.array(passageSchema) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, limit }): Promise<CallToolResult> => {
      try {
        const result = await deps.search.retrieve({ bot, query, ...(limit ? { topK: limit } : {}) });
        const passages = result.chunks.map((c) => ({
          rank: c.rank,
          documentId: c.documentId,
          documentName: c.documentName,
          page: c.page,
          headingPath: c.headingPath,
          score: round(c.score),
          rerankScore: c.rerank ? round(c.rerank.score) : null,
          text: c.content,
        }));
        const text = passages.length
          ? passages
              .map((p) => `[${p.rank}] ${p.documentName}${p.page ? `, page ${p.page}` : ""} (score ${p.score})\n${p.text}`)
              .join("\n\n")
          : "No passage matches this query.";
        return { content: [{ type: "text", text }], structuredContent: { passages } };
      } catch (error) {
        return toolError(error, caller.requestId);
      }
    },
  );

  server.registerTool(
    "ask",
    {
      title: `Ask ${bot.name}`,
      description: `Ask ${about(bot)} a question. The answer is grounded in its documents and cites them with [n] markers; every marker is checked against the sources given. A bot in strict mode answers with its refusal text when the documents do not hold the answer.`,
      inputSchema: {
        question: z.string().trim().min(1).max(MAX_QUESTION_CHARS).describe("The question, in one message."),
      },
      outputSchema: {
        answer: z.string(),
        citations: z.array(citationSchema),
        refused: z.boolean().describe("True when the bot answered with its refusal text."),
        extractive: z.boolean().describe("True when the answer quotes the sources without a language model."),
        conversationId: z.string(),
      },
      annotations: { readOnlyHint: false, openWorldHint: false },
    },
    async ({ question }): Promise<CallToolResult> => {
      try {
        const answer = await deps.chat.ask({
          bot,
          message: question,
          channel: "api",
          actor: { apiKeyId: caller.apiKeyId, visitorId: caller.sessionId ?? null },
          conversationMetadata: { via: "mcp" },
        });
        const citations = answer.citations.map((c) => ({
          index: c.index,
          documentId: c.documentId,
          documentName: c.documentName,
          page: c.page,
          headingPath: c.headingPath,
          score: round(c.score),
          quote: c.quote,
        }));
        const sources = citations.map((c) => `[${c.index}] ${c.documentName}${c.page ? `, page ${c.page}` : ""}`).join("\n");
        return {
          content: [{ type: "text", text: sources ? `${answer.content}\n\nSources:\n${sources}` : answer.content }],
          structuredContent: {
            answer: answer.content,
            citations,
            refused: answer.refused,
            extractive: answer.extractive,
            conversationId: answer.conversationId,
          },
        };
      } catch (error) {
        return toolError(error, caller.requestId);
      }
    },
  );

  return server;
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
