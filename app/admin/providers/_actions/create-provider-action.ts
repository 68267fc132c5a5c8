"use server";

import { redirect } from "next/navigation";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { providerInputFromForm } from "@/app/admin/providers/_actions/provider-form-input";
import { requireAdmin } from "@/lib/auth/session";
import { formValues } from "@/lib/backends/backend-form";
import { createProvider } from "@/lib/providers";

export async function createProviderAction(_prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  let id: string;
  try {
    id = (await createProvider(providerInputFromForm(form), { userId: admin.userId })).id;
  } catch (e) {
    return formFailure(e, formValues(form, ["clientSecret"]));
  }
  redirect(`/admin/providers/${id}?saved=created`);
}
