// Seeds one backend per kind of outgoing auth the test world can serve: GitLab (linked account),
// tickets (token exchange), search (static header) and utils (none). Idempotent, like the
// providers' seed, so the demo can re-seed a database whose world URLs have changed.
import type { SeededProviders } from "@/e2e/seed-providers";
import type { World } from "@/e2e/world";
import type { BackendInput } from "@/lib/backends/backend-schema";
import { createBackend } from "@/lib/backends/create-backend";
import { findBackends } from "@/lib/backends/find-backends";
import { updateBackend } from "@/lib/backends/update-backend";

export type SeededBackends = Record<"gitlab" | "tickets" | "search" | "utils", { id: string; slug: string }>;

export function seededBackendInputs(world: World, providers: SeededProviders): BackendInput[] {
  return [
    { slug: "gitlab", displayName: "GitLab", url: world.gitlab.mcpUrl, auth: { mode: "linked_account", providerId: providers.gitlab.id } },
    {
      slug: "tickets",
      displayName: "Tickets",
      url: world.backends.exchange.url,
      auth: {
        mode: "token_exchange",
        tokenEndpoint: world.keycloak.tokenEndpoint,
        clientId: world.gatehouseClient.clientId,
        clientSecret: world.gatehouseClient.clientSecret,
        audience: world.exchangeAudience,
      },
    },
    {
      slug: "search",
      displayName: "Search",
      url: world.backends.static.url,
      auth: { mode: "static_header", headerName: world.staticKey.headerName, value: world.staticKey.apiKey },
    },
    { slug: "utils", displayName: "Utilities", url: world.backends.open.url, auth: { mode: "none" } },
  ];
}

export async function seedBackends(world: World, providers: SeededProviders): Promise<SeededBackends> {
  const existing = new Map((await findBackends()).map((b) => [b.slug, b.id]));
  const system = { userId: null };
  const seeded = {} as SeededBackends;
  for (const input of seededBackendInputs(world, providers)) {
    const id = existing.get(input.slug);
    const b = id ? await updateBackend(id, input, system) : await createBackend(input, system);
    seeded[input.slug as keyof SeededBackends] = { id: b.id, slug: b.slug };
  }
  return seeded;
}
