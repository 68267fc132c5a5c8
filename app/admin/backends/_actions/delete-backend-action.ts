"use server";

import { redirect } from "next/navigation";
import { requireAdmin } from "@/lib/auth/session";
import { deleteBackend } from "@/lib/backends/delete-backend";

export async function deleteBackendAction(id: string): Promise<void> {
  const admin = await requireAdmin();
  const { slug } = await deleteBackend(id, { userId: admin.userId });
  redirect(`/admin/backends?deleted=${encodeURIComponent(slug)}`);
}
