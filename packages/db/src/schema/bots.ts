import { relations, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  index,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import {
  type ModelSettings,
  type RagConfig,
  defaultModelSettings,
  defaultRagConfig,
} from "@docent/contracts/json";
import { id, timestamps } from "./_columns";
import { analyticsQueryLogs } from "./analytics-query-logs";
import { botAllowedOrigins } from "./bot-allowed-origins";
import { botDocuments } from "./bot-documents";
import { botPrompts } from "./bot-prompts";
import { conversations } from "./conversations";
import { botStatus } from "./enums";
import { templates } from "./templates";
import { users } from "./users";
import { widgetConfigurations } from "./widget-configurations";
import { workspaces } from "./workspaces";

export const bots = pgTable(
  "bots",
  {
    id: id(),
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    templateId: uuid().references(() => templates.id, { onDelete: "set null" }),
    name: varchar({ length: 255 }).notNull(),
    description: text(),
    /** Unguessable id used in public links and the widget's `data-bot`; never the uuid. */
    publicId: varchar({ length: 32 }).notNull().unique(),
    /** Retrieval parameters; shape and bounds in `ragConfigSchema` (json.ts). */
    ragConfig: jsonb().$type<RagConfig>().default(defaultRagConfig).notNull(),
    /** Generation parameters; shape in `modelSettingsSchema` (json.ts). */
    modelSettings: jsonb().$type<ModelSettings>().default(defaultModelSettings).notNull(),
    activePromptId: uuid().references((): AnyPgColumn => botPrompts.id, { onDelete: "set null" }),
    status: botStatus().default("CREATING").notNull(),
    /** Postgres text-search configuration for keyword retrieval ("english", "german", "simple"...). */
    language: varchar({ length: 32 }).default("english").notNull(),
    lastActivityAt: timestamp({ withTimezone: true }),
    /** Least cosine similarity between a question and a topic's centroid for the topic to be assigned. */
    topicThreshold: real().default(0.35).notNull(),
    ...timestamps(),
  },
  (t) => [
    check("bots_topic_threshold", sql`${t.topicThreshold} >= 0 and ${t.topicThreshold} <= 1`),
    index().on(t.workspaceId),
    index().on(t.templateId),
    index().on(t.status),
    index().on(t.activePromptId),
  ],
);

export const botsRelations = relations(bots, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [bots.workspaceId], references: [workspaces.id] }),
  template: one(templates, { fields: [bots.templateId], references: [templates.id] }),
  activePrompt: one(botPrompts, { fields: [bots.activePromptId], references: [botPrompts.id] }),
  prompts: many(botPrompts, { relationName: "bot_prompts" }),
  documents: many(botDocuments),
  widget: one(widgetConfigurations),
  allowedOrigins: many(botAllowedOrigins),
  conversations: many(conversations),
  queryLogs: many(analyticsQueryLogs),
}));
