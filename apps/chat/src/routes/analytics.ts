/** A bot's analytics per UTC day, for admins and integrators with analytics:read. */
import { analyticsQuerySchema, analyticsResponseSchema } from "@docent/contracts/analytics";
import { chatBotParamsSchema as botParams } from "@docent/contracts/chat";
import { getBotAnalytics } from "@docent/db/queries/analytics";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "./deps";

const identity = { auth: { kind: "identity" as const } };

export const analyticsRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  const { authorizeBot, db, env } = deps;

  app.get(
    "/v1/bots/:botId/analytics",
    {
      config: identity,
      schema: {
        operationId: "getBotAnalytics",
        summary: "Questions, latency, tokens, feedback, most cited documents and unanswered questions per UTC day",
        params: botParams,
        querystring: analyticsQuerySchema,
        response: { 200: analyticsResponseSchema },
      },
    },
    async (request) => {
      const { bot } = await authorizeBot(request, request.params.botId, "analytics:read");
      return getBotAnalytics(db, { botId: bot.id, ...request.query, weakScore: env.ANALYTICS_WEAK_SCORE });
    },
  );
};
