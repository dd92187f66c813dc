/** Platform screens are for users whose platform role is ADMIN; others see why not. */
import type { ReactNode } from "react";
import { useSession } from "../../app/session";
import { EmptyState, Loading } from "../../ui/feedback";

export function PlatformOnly({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.data?.user.role !== "ADMIN") {
    return <EmptyState title="Platform administrators only">These screens manage every workspace of this Docent installation.</EmptyState>;
  }
  return <>{children}</>;
}
