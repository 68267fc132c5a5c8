"use server";

import { revalidatePath } from "next/cache";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { requireAdmin } from "@/lib/auth/session";
import { revokePersonalAccessToken } from "@/lib/personal-access-tokens/revoke-personal-access-token";

/** Bound to a token id by the tokens and user pages: revoke any user's personal access token. */
export async function revokeTokenAction(id: string, _prev: FormState): Promise<FormState> {
  const admin = await requireAdmin();
  try {
    await revokePersonalAccessToken({ id, actor: { userId: admin.userId, admin: true } });
    revalidatePath("/admin/tokens");
    revalidatePath("/admin/users", "layout");
    return { tone: "success", message: "Token revoked." };
  } catch (e) {
    return formFailure(e);
  }
}
