// An MCP client an admin registers ahead of time: a company's own agent, or a client that neither
// publishes a metadata document nor registers itself. It is a public client (PKCE, no secret, so no
// secret to keep at rest) with a fixed id and redirect URIs under the same rules as dynamic
// registration, stored where oidc-provider keeps registered clients: it is found, listed, disabled
// and deleted like any other.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createPrismaAdapter } from "@/lib/oauth-server/adapter";
import { redirectUriProblem } from "@/lib/oauth-server/redirect-uris";

export const preregisterClientSchema = z.object({
  clientId: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{2,63}$/,
      "must be 3 to 64 characters: lowercase letters, digits, '.', '-' or '_', starting with a letter or digit",
    ),
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  redirectUris: z.array(z.string()).min(1, "needs at least one redirect URI").max(10, "at most 10 redirect URIs"),
});
export type PreregisterClientInput = z.infer<typeof preregisterClientSchema>;

export const preregisteredClientSchema = preregisterClientSchema.extend({ tokenEndpointAuthMethod: z.literal("none") });

export async function preregisterClient(
  input: PreregisterClientInput,
  actor: { userId: string },
): Promise<z.infer<typeof preregisteredClientSchema>> {
  const problems = input.redirectUris.map(redirectUriProblem).filter((p): p is string => p !== undefined);
  if (problems.length) throw new AppError("validation", "Some redirect URIs are not allowed.", { redirectUris: problems });
  const existing = await getDb().oAuthModel.findUnique({
    where: { kind_id: { kind: "Client", id: input.clientId } },
    select: { id: true },
  });
  if (existing)
    throw new AppError(
      "conflict",
      `A client with the id ${input.clientId} exists already: choose another id, or delete that client first.`,
    );
  await createPrismaAdapter()("Client").upsert(
    input.clientId,
    {
      client_id: input.clientId,
      client_name: input.name,
      redirect_uris: input.redirectUris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      client_id_issued_at: Math.floor(Date.now() / 1000),
    },
    0,
  );
  recordAudit({ action: "admin.oauth_client.create", outcome: "success", userId: actor.userId, clientId: input.clientId });
  return { ...input, tokenEndpointAuthMethod: "none" };
}
