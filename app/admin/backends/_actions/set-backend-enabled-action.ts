"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { setBackendEnabled } from "@/lib/backends/set-backend-enabled";

export async function setBackendEnabledAction(id: string, enabled: boolean): Promise<void> {
  const admin = await requireAdmin();
  await setBackendEnabled(id, enabled, { userId: admin.userId });
  revalidatePath("/admin/backends", "layout");
}
