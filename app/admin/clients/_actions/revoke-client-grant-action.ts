"use server";

import { revalidatePath } from "next/cache";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { requireAdmin } from "@/lib/auth/session";
import { revokeClientGrant } from "@/lib/oauth-server/admin-client-access";

/** Bound to a grant id by the MCP clients page: one user's connection of one client. */
export async function revokeClientGrantAction(grantId: string, _prev: FormState): Promise<FormState> {
  const admin = await requireAdmin();
  try {
    await revokeClientGrant(grantId, { userId: admin.userId });
    revalidatePath("/admin/clients");
    revalidatePath("/admin/users", "layout");
    return { tone: "success", message: "Connection revoked." };
  } catch (e) {
    return formFailure(e);
  }
}
