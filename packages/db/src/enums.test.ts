/** The browser-safe enum copies must equal the database enums they mirror. */
import * as enums from "@docent/contracts/enums";
import { describe, expect, it } from "vitest";
import * as schema from "./schema";

describe("enum mirrors", () => {
  it.each([
    ["platformRoles", schema.platformRole.enumValues],
    ["userStatuses", schema.userStatus.enumValues],
    ["workspaceRoles", schema.workspaceRole.enumValues],
    ["botStatuses", schema.botStatus.enumValues],
    ["modelProviders", schema.modelProvider.enumValues],
    ["rerankProviders", schema.rerankProvider.enumValues],
    ["widgetPositions", schema.widgetPosition.enumValues],
    ["widgetThemes", schema.widgetTheme.enumValues],
    ["subscriptionStatuses", schema.subscriptionStatus.enumValues],
    ["documentSourceTypes", schema.documentSourceType.enumValues],
    ["documentStatuses", schema.documentStatus.enumValues],
    ["authProviders", schema.authProvider.enumValues],
    ["sourceKinds", schema.sourceKind.enumValues],
    ["sourceSchedules", schema.sourceSchedule.enumValues],
    ["sourceStatuses", schema.sourceStatus.enumValues],
    ["sourceRunStatuses", schema.sourceRunStatus.enumValues],
  ] as const)("%s matches the database", (name, values) => {
    expect([...enums[name]]).toEqual([...values]);
  });
});
