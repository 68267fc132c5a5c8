// The Interaction record oidc-provider stores for a pending authorization, read and written by the
// consent page (interaction.ts). Only the browser that started the authorization may touch it: its
// `_interaction` cookie must name the record.
import { z } from "zod";
import { getDb, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** oidc-provider's cookie naming the interaction, set for the interaction page's path only. */
export const INTERACTION_COOKIE = "_interaction";

const interactionSchema = z.object({
  returnTo: z.string(),
  exp: z.number(),
  prompt: z.object({ name: z.string(), reasons: z.array(z.string()).optional() }).optional(),
  params: z.object({
    client_id: z.string(),
    redirect_uri: z.string().optional(),
    resource: z.union([z.string(), z.array(z.string())]).optional(),
    scope: z.string().optional(),
  }),
  session: z.object({ accountId: z.string().optional(), cookie: z.string().optional() }).optional(),
});

export type InteractionRecord = z.infer<typeof interactionSchema>;

export async function loadInteraction(uid: string, interactionCookie: string | undefined) {
  if (!interactionCookie || interactionCookie !== uid) {
    throw new AppError("forbidden", "This sign-in request was started in another browser. Start the connection again from your AI client.");
  }
  const row = await getDb().oAuthModel.findUnique({
    where: { kind_id: { kind: "Interaction", id: uid } },
    select: { payload: true, expiresAt: true },
  });
  if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) {
    throw new AppError(
      "not_found",
      "This sign-in request has expired or was already used. Start the connection again from your AI client.",
    );
  }
  const parsed = interactionSchema.safeParse(row.payload);
  if (!parsed.success)
    throw new AppError("not_found", "This sign-in request cannot be read. Start the connection again from your AI client.");
  return { interaction: parsed.data, payload: row.payload as Record<string, unknown>, expiresAt: row.expiresAt };
}

/** Writes the interaction's result, exactly what oidc-provider's own interactionResult() stores. */
export async function storeInteractionResult(opts: {
  uid: string;
  payload: Record<string, unknown>;
  expiresAt: Date | null;
}): Promise<void> {
  await getDb().oAuthModel.update({
    where: { kind_id: { kind: "Interaction", id: opts.uid } },
    data: { payload: opts.payload as Prisma.InputJsonValue, expiresAt: opts.expiresAt },
  });
}

/** The one resource indicator of the request (configuration.ts refuses more than one). */
export function requestedResource(interaction: InteractionRecord): string {
  return [interaction.params.resource ?? []].flat()[0] ?? "";
}
