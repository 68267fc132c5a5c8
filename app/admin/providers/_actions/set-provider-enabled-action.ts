"use server";

import { revalidatePath } from "next/cache";
import { providerAsInput } from "@/app/api/admin/providers/provider-response";
import { requireAdmin } from "@/lib/auth/session";
import { getProvider, updateProvider, type ProviderInput } from "@/lib/providers";

export async function setProviderEnabledAction(id: string, enabled: boolean): Promise<void> {
  const admin = await requireAdmin();
  const input = { ...providerAsInput(await getProvider(id)), enabled } as ProviderInput;
  await updateProvider(id, input, { userId: admin.userId });
  revalidatePath("/admin/providers", "layout");
}
