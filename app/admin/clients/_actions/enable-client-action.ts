"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { enableClient } from "@/lib/oauth-server/admin-client-access";

/** Bound to a client id by the MCP clients page; nothing is lost by enabling, so no confirmation. */
export async function enableClientAction(clientId: string): Promise<void> {
  const admin = await requireAdmin();
  await enableClient(clientId, { userId: admin.userId });
  revalidatePath("/admin/clients");
}
