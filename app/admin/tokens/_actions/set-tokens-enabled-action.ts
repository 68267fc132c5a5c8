"use server";

import { revalidatePath } from "next/cache";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { requireAdmin } from "@/lib/auth/session";
import { setPersonalAccessTokensEnabled } from "@/lib/settings/personal-access-tokens-enabled";

/** Bound to the new value by the tokens page: turn personal access tokens on or off for everyone. */
export async function setTokensEnabledAction(enabled: boolean, _prev: FormState): Promise<FormState> {
  const admin = await requireAdmin();
  try {
    await setPersonalAccessTokensEnabled(enabled, { userId: admin.userId });
    revalidatePath("/admin/tokens");
    return { tone: "success", message: enabled ? "Personal access tokens are on." : "Personal access tokens are off." };
  } catch (e) {
    return formFailure(e);
  }
}
