/**
 * Bots and everything configured per bot (prompts, widget, allowed origins). Every method
 * first loads the bot *within the caller's workspace*, so ids of other tenants answer 404.
 */
import {
  type ModelSettingsPatch,
  type RagConfigPatch,
  advancedRagConfigKeys,
  type createBotBodySchema,
  type updateBotBodySchema,
} from "@docent/contracts/bots";
import type { Database } from "@docent/db/client";
import { type ModelSettings, type RagConfig, defaultModelSettings, defaultRagConfig, modelSettingsSchema, ragConfigSchema, readRagConfig } from "@docent/contracts/json";
import { countDocumentsAndChunks, createBot, deleteBot, getBot, listBots, updateBot } from "@docent/db/queries/bots";
import { addOrigin, listOrigins, removeOrigin } from "@docent/db/queries/origins";
import {
  activatePrompt,
  createPrompt,
  deleteInactivePrompt,
  listPrompts,
  updatePrompt,
} from "@docent/db/queries/prompts";
import { getTemplate } from "@docent/db/queries/templates";
import { assertWithinLimit, getCurrentPlan, lockWorkspaceQuota } from "@docent/db/queries/usage";
import { getWidgetConfig, updateWidgetConfig, type WidgetConfigPatch } from "@docent/db/queries/widget";
import type { Plan } from "@docent/db/queries/plans";
import type { WorkspaceAccess } from "@docent/http-kit/auth";
import { newPublicId } from "@docent/service-kit/crypto/tokens";
import { ConflictError, NotFoundError, PaymentRequiredError, ValidationError } from "@docent/service-kit/errors";
import type { z } from "zod";
import { botDto, originDto, promptDto, widgetDto } from "../dto";

function issuesAt(prefix: string, error: z.ZodError) {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join("."), message: i.message }));
}

/** Merges a partial RAG config over `base` and validates the result as a whole. */
export function mergeRagConfig(stored: RagConfig, patch: RagConfigPatch | undefined, path: string): RagConfig {
  // Configs stored before a setting existed lack it: its default applies.
  const base = readRagConfig(stored);
  const merged = {
    ...base,
    ...patch,
    fusionWeights: { ...base.fusionWeights, ...patch?.fusionWeights },
    rerank: { ...base.rerank, ...patch?.rerank },
    context: { ...base.context, ...patch?.context },
  };
  const result = ragConfigSchema.safeParse(merged);
  if (!result.success) throw new ValidationError(issuesAt(path, result.error));
  return result.data;
}

function mergeModelSettings(base: ModelSettings, patch: ModelSettingsPatch | undefined, path: string): ModelSettings {
  const result = modelSettingsSchema.safeParse({ ...base, ...patch });
  if (!result.success) throw new ValidationError(issuesAt(path, result.error));
  return result.data;
}

/** Plans without `allowAdvancedRagConfig` may keep, but not change, the advanced settings. */
function assertRagConfigAllowed(plan: Plan, stored: RagConfig, next: RagConfig) {
  if (plan.allowAdvancedRagConfig) return;
  const base = readRagConfig(stored);
  for (const key of advancedRagConfigKeys) {
    if (JSON.stringify(base[key]) !== JSON.stringify(next[key])) {
      throw new PaymentRequiredError(
        `Retrieval tuning (ragConfig.${key}) is not included in the ${plan.name} plan; move to a plan that includes it.`,
        { code: "PLAN_UPGRADE_REQUIRED", details: { limit: "allowAdvancedRagConfig", field: `ragConfig.${key}` } },
      );
    }
  }
}

export type CreateBotInput = z.infer<typeof createBotBodySchema>;
export type UpdateBotInput = z.infer<typeof updateBotBodySchema>;

export function createBotService({ db }: { db: Database }) {
  async function requireBot(access: WorkspaceAccess, botId: string) {
    if (access.botId && access.botId !== botId) throw new NotFoundError("Bot");
    const bot = await getBot(db, { workspaceId: access.workspaceId, botId });
    if (!bot) throw new NotFoundError("Bot");
    return bot;
  }

  return {
    requireBot,

    async list(access: WorkspaceAccess) {
      const bots = await listBots(db, { workspaceId: access.workspaceId, onlyBotId: access.botId });
      const counts = await countDocumentsAndChunks(db, bots.map((b) => b.id));
      return bots.map((b) => ({ ...botDto(b), ...(counts.get(b.id) ?? { documentCount: 0, chunkCount: 0 }) }));
    },

    async get(access: WorkspaceAccess, botId: string) {
      return botDto(await requireBot(access, botId));
    },

    async create(access: WorkspaceAccess, input: CreateBotInput) {
      const template = input.templateId ? await getTemplate(db, input.templateId) : undefined;
      if (input.templateId && !template) throw new NotFoundError("Template");
      const base = template?.defaultRagConfig ?? defaultRagConfig;
      const ragConfig = mergeRagConfig(base, input.ragConfig, "body.ragConfig");
      const modelSettings = mergeModelSettings(defaultModelSettings, input.modelSettings, "body.modelSettings");
      const bot = await db.transaction(async (tx) => {
        await lockWorkspaceQuota(tx, access.workspaceId);
        await assertWithinLimit(tx, { workspaceId: access.workspaceId, limit: "bots" });
        assertRagConfigAllowed(await getCurrentPlan(tx, access.workspaceId), base, ragConfig);
        return createBot(tx, {
          workspaceId: access.workspaceId,
          createdBy: access.userId,
          templateId: template?.id ?? null,
          name: input.name,
          description: input.description ?? template?.description ?? null,
          publicId: newPublicId(),
          ragConfig,
          modelSettings,
          language: input.language ?? "english",
          initialPrompt: template?.sampleSystemPrompt
            ? { name: `${template.name} prompt`, content: template.sampleSystemPrompt }
            : null,
        });
      });
      return botDto(bot);
    },

    async update(access: WorkspaceAccess, botId: string, input: UpdateBotInput) {
      const bot = await requireBot(access, botId);
      const patch: Parameters<typeof updateBot>[2] = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.language !== undefined) patch.language = input.language;
      if (input.status !== undefined) patch.status = input.status;
      if (input.ragConfig) {
        patch.ragConfig = mergeRagConfig(bot.ragConfig, input.ragConfig, "body.ragConfig");
        assertRagConfigAllowed(await getCurrentPlan(db, access.workspaceId), bot.ragConfig, patch.ragConfig);
      }
      if (input.modelSettings) {
        patch.modelSettings = mergeModelSettings(bot.modelSettings, input.modelSettings, "body.modelSettings");
      }
      if (Object.keys(patch).length === 0) return botDto(bot);
      const updated = await updateBot(db, { workspaceId: access.workspaceId, botId }, patch);
      if (!updated) throw new NotFoundError("Bot");
      return botDto(updated);
    },

    async remove(access: WorkspaceAccess, botId: string) {
      await requireBot(access, botId);
      await deleteBot(db, { workspaceId: access.workspaceId, botId });
    },

    // Prompts -------------------------------------------------------------------------

    async listPrompts(access: WorkspaceAccess, botId: string) {
      await requireBot(access, botId);
      return (await listPrompts(db, botId)).map(promptDto);
    },

    async createPrompt(
      access: WorkspaceAccess,
      botId: string,
      input: { name: string; content: string; activate: boolean },
    ) {
      await requireBot(access, botId);
      return promptDto(await createPrompt(db, { botId, ...input, createdBy: access.userId }));
    },

    async updatePrompt(access: WorkspaceAccess, botId: string, promptId: string, input: { name?: string; content?: string }) {
      await requireBot(access, botId);
      const prompt = await updatePrompt(db, { botId, promptId }, input);
      if (!prompt) throw new NotFoundError("Prompt");
      return promptDto(prompt);
    },

    async activatePrompt(access: WorkspaceAccess, botId: string, promptId: string) {
      await requireBot(access, botId);
      const prompt = await activatePrompt(db, { botId, promptId });
      if (!prompt) throw new NotFoundError("Prompt");
      return promptDto(prompt);
    },

    async deletePrompt(access: WorkspaceAccess, botId: string, promptId: string) {
      await requireBot(access, botId);
      const outcome = await deleteInactivePrompt(db, { botId, promptId });
      if (outcome === "missing") throw new NotFoundError("Prompt");
      if (outcome === "active") {
        throw new ConflictError("The active prompt cannot be deleted; activate another one first", {
          code: "PROMPT_ACTIVE",
        });
      }
    },

    // Widget and origins -------------------------------------------------------------

    async getWidget(access: WorkspaceAccess, botId: string) {
      await requireBot(access, botId);
      return widgetDto(await getWidgetConfig(db, botId));
    },

    async updateWidget(access: WorkspaceAccess, botId: string, patch: WidgetConfigPatch) {
      await requireBot(access, botId);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      return widgetDto(await updateWidgetConfig(db, botId, defined));
    },

    async listOrigins(access: WorkspaceAccess, botId: string) {
      await requireBot(access, botId);
      return (await listOrigins(db, botId)).map(originDto);
    },

    async addOrigin(access: WorkspaceAccess, botId: string, origin: string) {
      await requireBot(access, botId);
      const added = await addOrigin(db, { botId, origin });
      if (!added) throw new ConflictError(`${origin} is already allowed`, { code: "ORIGIN_EXISTS" });
      return originDto(added);
    },

    async removeOrigin(access: WorkspaceAccess, botId: string, originId: string) {
      await requireBot(access, botId);
      if (!(await removeOrigin(db, { botId, originId }))) throw new NotFoundError("Origin");
    },
  };
}

export type BotService = ReturnType<typeof createBotService>;
