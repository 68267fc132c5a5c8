// Creates a personal access token for the signed-in user: refused when an admin turned the feature
// off, or when the endpoint is a backend the user may not use. The plaintext is returned once, to be
// shown once; the row holds only its hash and last four characters.
import { recordAudit } from "@/lib/audit/record-audit";
import { findUsableBackends } from "@/lib/backends/find-usable-backends";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { PersonalAccessTokenInput } from "@/lib/personal-access-tokens/personal-access-token-schema";
import { generatePersonalAccessToken, hashPersonalAccessToken } from "@/lib/personal-access-tokens/token-format";
import { getPersonalAccessTokensEnabled } from "@/lib/settings/personal-access-tokens-enabled";

export interface CreatedPersonalAccessToken {
  id: string;
  name: string;
  resource: string;
  expiresAt: Date;
  /** The only time the token exists outside the client that receives it. */
  token: string;
}

export async function createPersonalAccessToken(opts: {
  user: { userId: string; roles: readonly string[]; groups: readonly string[] };
  input: PersonalAccessTokenInput;
}): Promise<CreatedPersonalAccessToken> {
  if (!(await getPersonalAccessTokensEnabled()))
    throw new AppError("forbidden", "Personal access tokens are turned off on this Gatehouse. Ask an administrator.");
  const { name, backend, expiresAt } = opts.input;
  if (backend) await requireUsableBackend(backend, opts.user);
  const resource = backend ? `/api/mcp/${backend}` : "/api/mcp";
  const token = generatePersonalAccessToken();
  const row = await getDb().personalAccessToken.create({
    data: { userId: opts.user.userId, name, tokenHash: hashPersonalAccessToken(token), lastChars: token.slice(-4), resource, expiresAt },
    select: { id: true },
  });
  recordAudit({
    action: "personal_access_token.create",
    outcome: "success",
    userId: opts.user.userId,
    clientId: `pat:${row.id}`,
    clientName: name,
    detail: { resource, expiresAt: expiresAt.toISOString() },
  });
  return { id: row.id, name, resource, expiresAt, token };
}

async function requireUsableBackend(slug: string, user: { roles: readonly string[]; groups: readonly string[] }): Promise<void> {
  const [usable] = await findUsableBackends(user, { slug });
  if (!usable) throw new AppError("validation", "Choose an endpoint you may use.", { backend: ["Choose an endpoint from the list."] });
}
