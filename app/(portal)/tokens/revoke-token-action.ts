"use server";

// Revoke one of the signed-in user's personal access tokens: refused by the gateway at once here,
// and on every replica within OAUTH_REVOCATION_POLL_MS.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { RevokeState } from "@/app/(portal)/_components/revoke-control";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { revokePersonalAccessToken } from "@/lib/personal-access-tokens/revoke-personal-access-token";

const revokeSchema = z.object({ id: z.uuid() });

export async function revokeTokenAction(_prev: RevokeState, form: FormData): Promise<RevokeState> {
  const user = await requireUser();
  const parsed = revokeSchema.safeParse({ id: form.get("id") });
  if (!parsed.success) return { ok: false, message: "That is not a token you can revoke." };
  try {
    // Scoped to the signed-in user: the user id never comes from the form.
    await revokePersonalAccessToken({ id: parsed.data.id, userId: user.userId, actor: { userId: user.userId } });
    revalidatePath("/tokens");
    return { ok: true };
  } catch (e) {
    if (isAppError(e) && e.status < 500) return { ok: false, message: e.message };
    throw e;
  }
}
