"use server";

// Revoke one of the signed-in user's connected MCP clients: its grant, refresh tokens and (on every
// replica within OAUTH_REVOCATION_POLL_MS) its access tokens.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { RevokeState } from "@/app/(portal)/_components/revoke-control";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { revokeConnectedClient } from "@/lib/oauth-server/connected-clients";

const revokeSchema = z.object({ grantId: z.string().min(1).max(200) });

export async function revokeClientAction(_prev: RevokeState, form: FormData): Promise<RevokeState> {
  const user = await requireUser();
  const parsed = revokeSchema.safeParse({ grantId: form.get("id") });
  if (!parsed.success) return { ok: false, message: "That is not a client you can revoke." };
  try {
    // Always the signed-in user's own grant: the user id never comes from the form.
    await revokeConnectedClient({ userId: user.userId, grantId: parsed.data.grantId });
    revalidatePath("/clients");
    return { ok: true };
  } catch (e) {
    if (isAppError(e) && e.status < 500) return { ok: false, message: e.message };
    throw e;
  }
}
