import { ForbiddenError } from "@docent/service-kit/errors";
import type { Permission, WorkspaceAccess } from "./principal";

/** The 403 of a caller who can see the workspace but lacks `permission` in it. */
export function missingPermission(access: WorkspaceAccess, permission: Permission): ForbiddenError {
  return new ForbiddenError(
    access.apiKeyId
      ? `This API key lacks the "${permission}" scope`
      : `Your role (${access.role}) does not allow this; "${permission}" is needed`,
    { details: { permission } },
  );
}
