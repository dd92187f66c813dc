/** `POST /v1/messages/:messageId/feedback` for signed-in users and API keys. */
import { feedbackBodySchema, feedbackResponseSchema, messageParamsSchema } from "@docent/contracts/chat";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "./deps";

export const feedbackRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.post(
    "/v1/messages/:messageId/feedback",
    {
      config: { auth: { kind: "identity" } },
      schema: {
        operationId: "rateAnswer",
        summary: "Thumbs up or down (and a comment) on an answer; a second rating replaces the first",
        params: messageParamsSchema,
        body: feedbackBodySchema,
        response: { 200: feedbackResponseSchema },
      },
    },
    async (request) => {
      const answer = await deps.feedback.loadAnswer(request.params.messageId);
      await deps.authorizeBot(request, answer.botId, "chat");
      return deps.feedback.save(request.params.messageId, request.body.rating, request.body.comment ?? null);
    },
  );
};
