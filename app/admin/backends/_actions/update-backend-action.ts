"use server";

import { redirect } from "next/navigation";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { requireAdmin } from "@/lib/auth/session";
import { backendInputFromForm, formValues } from "@/lib/backends/backend-form";
import { updateBackend } from "@/lib/backends/update-backend";

/** Bound to the backend's id by the edit page. An empty secret input keeps the stored secret. */
export async function updateBackendAction(id: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  try {
    await updateBackend(id, backendInputFromForm(form), { userId: admin.userId });
  } catch (e) {
    return formFailure(e, formValues(form));
  }
  redirect(`/admin/backends/${id}?saved=updated`);
}
