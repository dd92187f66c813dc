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
        summary:
          "Rate an answer: thumbs (rating 1 or -1) and/or stars (1-5), with an optional comment; a later call replaces the value it gives and the comment",
        params: messageParamsSchema,
        body: feedbackBodySchema,
        response: { 200: feedbackResponseSchema },
      },
    },
    async (request) => {
      const answer = await deps.feedback.loadAnswer(request.params.messageId);
      await deps.authorizeBot(request, answer.botId, "chat");
      const { rating, stars, comment } = request.body;
      return deps.feedback.save(request.params.messageId, { rating, stars, comment });
    },
  );
};
