// A Test connection's result on the backend's row (last check, and the tool count when it listed
// them) and in the audit log.
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";

export interface ConnectionCheck {
  backendId: string;
  backendSlug: string;
  adminUserId: string;
  /** true: tools listed; false: failed; null: reachable, but not checked with a credential. */
  ok: boolean | null;
  /** Already free of secrets and upstream text. */
  message: string;
  toolCount: number | null;
  latencyMs: number;
  checkedAt: Date;
}

export async function recordConnectionCheck(c: ConnectionCheck): Promise<void> {
  await getDb().backend.update({
    where: { id: c.backendId },
    data: { lastCheckAt: c.checkedAt, lastCheckOk: c.ok, lastCheckMessage: c.message, ...(c.ok ? { toolCount: c.toolCount } : {}) },
    select: { id: true },
  });
  recordAudit({
    action: "admin.backend.test",
    outcome: c.ok === false ? "failure" : "success",
    userId: c.adminUserId,
    backend: c.backendSlug,
    latencyMs: c.latencyMs,
    detail: { ok: c.ok, ...(c.ok ? { toolCount: c.toolCount } : { reason: c.message.slice(0, 200) }) },
  });
}
