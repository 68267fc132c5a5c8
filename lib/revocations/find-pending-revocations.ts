// The user's revocations still owed to providers (the Linked accounts page shows "revoking…").
import { getDb } from "@/lib/db";

export interface PendingRevocation {
  providerId: string;
  providerName: string;
  attempts: number;
  lastError: string | null;
}

export function findPendingRevocations(userId: string): Promise<PendingRevocation[]> {
  return getDb().revocationOutbox.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { providerId: true, providerName: true, attempts: true, lastError: true },
  });
}
