// GET /api/admin/tokens — every user's personal access tokens (never the token or its hash), and whether the feature is on
import { withAdmin } from "@/lib/auth/route";
import { findAllPersonalAccessTokens } from "@/lib/personal-access-tokens/find-personal-access-tokens";
import { getPersonalAccessTokensEnabled } from "@/lib/settings/personal-access-tokens-enabled";

export const GET = withAdmin(async () => {
  const [enabled, tokens] = await Promise.all([getPersonalAccessTokensEnabled(), findAllPersonalAccessTokens()]);
  return Response.json({ enabled, tokens });
});
