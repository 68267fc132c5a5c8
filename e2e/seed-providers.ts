// Seeds the providers: the GitLab stand-in as provider `gitlab`. Idempotent, so the demo can seed a
// database it already seeded (the world's URL may have changed since).
import type { World } from "@/e2e/world";
import { isAppError } from "@/lib/errors";
import { createProvider, getProviderBySlug, updateProvider, type ProviderInput } from "@/lib/providers";

export type SeededProviders = { gitlab: { id: string; slug: string } };

export async function seedProviders(world: World): Promise<SeededProviders> {
  const input: ProviderInput = {
    kind: "gitlab",
    slug: "gitlab",
    displayName: "GitLab",
    baseUrl: world.gitlab.url,
    clientId: world.gitlabApp.clientId,
    clientSecret: world.gitlabApp.clientSecret,
    scopes: ["mcp", "read_user"],
  };
  const existing = await getProviderBySlug("gitlab").catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") return undefined;
    throw e;
  });
  const seeded = existing ? await updateProvider(existing.id, input, { userId: null }) : await createProvider(input, { userId: null });
  return { gitlab: { id: seeded.id, slug: seeded.slug } };
}
