"use server";

import { revalidatePath } from "next/cache";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { requireAdmin } from "@/lib/auth/session";
import { unlinkAccount } from "@/lib/links";

/** Bound to (user, provider) by the Users page. A failed revocation at the provider is shown; the link is gone either way. */
export async function revokeLinkAction(userId: string, providerId: string, _prev: FormState): Promise<FormState> {
  const admin = await requireAdmin();
  try {
    const { revoked, revokeError } = await unlinkAccount({ userId, providerId, actor: { userId: admin.userId } });
    revalidatePath("/admin/users");
    return revoked
      ? { tone: "success", message: "Link revoked at the provider and deleted." }
      : { tone: "error", message: `Link deleted, but the provider did not confirm the revocation: ${revokeError ?? "no reason given"}` };
  } catch (e) {
    return formFailure(e);
  }
}
