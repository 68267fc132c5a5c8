"use server";

import { redirect } from "next/navigation";
import { formFailure, type FormState } from "@/app/admin/_components/form-state";
import { requireAdmin } from "@/lib/auth/session";
import { backendInputFromForm, formValues } from "@/lib/backends/backend-form";
import { createBackend } from "@/lib/backends/create-backend";

export async function createBackendAction(_prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  let id: string;
  try {
    id = (await createBackend(backendInputFromForm(form), { userId: admin.userId })).id;
  } catch (e) {
    return formFailure(e, formValues(form));
  }
  redirect(`/admin/backends/${id}?saved=created`);
}
