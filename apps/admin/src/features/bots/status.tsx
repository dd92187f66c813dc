import type { BotStatus, DocumentStatus } from "../../api/types";
import { Badge, type BadgeTone } from "../../ui/feedback";

const botTone: Record<BotStatus, BadgeTone> = {
  CREATING: "default",
  PROCESSING_DOCUMENTS: "info",
  READY: "success",
  ERROR: "danger",
  UPDATING: "info",
  DISABLED: "warning",
};
const botLabel: Record<BotStatus, string> = {
  CREATING: "No documents yet",
  PROCESSING_DOCUMENTS: "Processing",
  READY: "Ready",
  ERROR: "Error",
  UPDATING: "Updating",
  DISABLED: "Disabled",
};
export function BotStatusBadge({ status }: { status: BotStatus }) {
  return <Badge tone={botTone[status] ?? "default"}>{botLabel[status] ?? status}</Badge>;
}

const docTone: Record<DocumentStatus, BadgeTone> = { PENDING: "default", PROCESSING: "info", PROCESSED: "success", FAILED: "danger" };
const docLabel: Record<DocumentStatus, string> = { PENDING: "Queued", PROCESSING: "Processing", PROCESSED: "Processed", FAILED: "Failed" };
export function DocumentStatusBadge({ status }: { status: DocumentStatus }) {
  return (
    <Badge tone={docTone[status] ?? "default"}>
      <span data-status={status}>{docLabel[status] ?? status}</span>
    </Badge>
  );
}
