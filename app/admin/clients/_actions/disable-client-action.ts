"use server";

import { revalidatePath } from "next/cache";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { requireAdmin } from "@/lib/auth/session";
import { disableClient } from "@/lib/oauth-server/admin-client-access";

/** Bound to a client id by the MCP clients page. */
export async function disableClientAction(clientId: string, _prev: FormState): Promise<FormState> {
  const admin = await requireAdmin();
  try {
    const { revokedGrants } = await disableClient(clientId, { userId: admin.userId });
    revalidatePath("/admin/clients");
    return { tone: "success", message: `Disabled; ${revokedGrants} connection${revokedGrants === 1 ? "" : "s"} revoked.` };
  } catch (e) {
    return formFailure(e);
  }
}
