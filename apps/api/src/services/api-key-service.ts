/** Workspace API keys: created with the secret shown once, listed without it, revoked. */
import type { ApiKeyScope } from "@docent/contracts/json";
import type { Database } from "@docent/db/client";
import { createApiKey, listApiKeys, revokeApiKey } from "@docent/db/queries/api-keys";
import { getBot } from "@docent/db/queries/bots";
import type { WorkspaceAccess } from "@docent/http-kit/auth";
import { newApiKey } from "@docent/service-kit/crypto/tokens";
import { NotFoundError, ValidationError } from "@docent/service-kit/errors";
import { apiKeyDto } from "../dto";

export function createApiKeyService({ db }: { db: Database }) {
  return {
    async list(access: WorkspaceAccess) {
      return (await listApiKeys(db, access.workspaceId)).map(apiKeyDto);
    },

    async create(
      access: WorkspaceAccess,
      input: { name: string; scopes: ApiKeyScope[]; botId?: string | null; expiresAt?: string | null },
    ) {
      if (input.botId && !(await getBot(db, { workspaceId: access.workspaceId, botId: input.botId }))) {
        throw new NotFoundError("Bot");
      }
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new ValidationError([{ path: "body.expiresAt", message: "must be in the future" }]);
      }
      const key = newApiKey();
      const row = await createApiKey(db, {
        workspaceId: access.workspaceId,
        botId: input.botId ?? null,
        createdBy: access.userId,
        name: input.name,
        prefix: key.prefix,
        keyHash: key.hash,
        scopes: input.scopes,
        expiresAt,
      });
      return { ...apiKeyDto(row), secret: key.secret };
    },

    /** Revoking twice is harmless and answers the key as it is. */
    async revoke(access: WorkspaceAccess, apiKeyId: string) {
      const row = await revokeApiKey(db, { workspaceId: access.workspaceId, apiKeyId });
      if (!row) throw new NotFoundError("API key");
      return apiKeyDto(row);
    },
  };
}
