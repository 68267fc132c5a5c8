"use server";

import { redirect } from "next/navigation";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { providerInputFromForm } from "@/app/admin/providers/_actions/provider-form-input";
import { requireAdmin } from "@/lib/auth/session";
import { formValues } from "@/lib/backends/backend-form";
import { updateProvider } from "@/lib/providers";

/** Bound to the provider's id by the edit page. An empty secret input keeps the stored secret. */
export async function updateProviderAction(id: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  try {
    await updateProvider(id, providerInputFromForm(form), { userId: admin.userId });
  } catch (e) {
    return formFailure(e, formValues(form, ["clientSecret"]));
  }
  redirect(`/admin/providers/${id}?saved=updated`);
}
