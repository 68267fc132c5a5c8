"use server";

import { redirect } from "next/navigation";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { requireAdmin } from "@/lib/auth/session";
import { deleteProvider } from "@/lib/providers";

/** A provider still used by backends is refused with their names, shown next to the button. */
export async function deleteProviderAction(id: string, _prev: FormState): Promise<FormState> {
  const admin = await requireAdmin();
  try {
    await deleteProvider(id, { userId: admin.userId });
  } catch (e) {
    return formFailure(e);
  }
  redirect("/admin/providers?deleted=1");
}
