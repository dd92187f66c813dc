/** `POST /v1/messages/:messageId/feedback` for signed-in users and API keys. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "./deps";

export const feedbackBody = z.strictObject({
  rating: z.union([z.literal(1), z.literal(-1)]),
  comment: z.string().trim().max(2_000).nullish(),
});

export const feedbackRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.post(
    "/v1/messages/:messageId/feedback",
    {
      config: { auth: { kind: "identity" } },
      schema: { params: z.object({ messageId: z.uuid() }), body: feedbackBody },
    },
    async (request) => {
      const answer = await deps.feedback.loadAnswer(request.params.messageId);
      await deps.authorizeBot(request, answer.botId, "chat");
      return deps.feedback.save(request.params.messageId, request.body.rating, request.body.comment ?? null);
    },
  );
};
