"use server";

// Unlink one of the signed-in user's provider accounts: revoke at the provider, delete the tokens.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { unlinkAccount } from "@/lib/links";

const unlinkSchema = z.object({ providerId: z.uuid() });

export type UnlinkState = { ok: true; revoked: boolean; revokeError?: string } | { ok: false; message: string } | null;

export async function unlinkAction(_prev: UnlinkState, form: FormData): Promise<UnlinkState> {
  const user = await requireUser();
  const parsed = unlinkSchema.safeParse({ providerId: form.get("providerId") });
  if (!parsed.success) return { ok: false, message: "That is not a provider you can unlink." };
  try {
    // Always the signed-in user's own link: the user id never comes from the form.
    const outcome = await unlinkAccount({ userId: user.userId, providerId: parsed.data.providerId, actor: { userId: user.userId } });
    revalidatePath("/links", "layout");
    return { ok: true, ...outcome };
  } catch (e) {
    if (isAppError(e) && e.status < 500) return { ok: false, message: e.message };
    throw e;
  }
}
