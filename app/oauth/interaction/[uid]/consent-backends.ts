// The backends a client will reach as this user at the requested endpoint, with each one's link
// status. Visibility is the gateway's own rule (gateway/catalog/naming.ts) over the gateway's own
// backend list, so the consent page shows exactly what the client's tools/list will.
import { isVisibleTo } from "@/gateway/catalog/naming";
import type { Caller } from "@/lib/auth/caller";
import { loadRuntimeBackends } from "@/lib/backends/runtime";
import { findLinksForUser } from "@/lib/links";

export type ConsentLinkStatus = "linked" | "needs_relink" | "not_linked" | "no_link_needed";

export interface ConsentBackend {
  slug: string;
  displayName: string;
  status: ConsentLinkStatus;
  /** For linked-account backends: the provider to link, and as whom it is linked. */
  provider?: { slug: string; name: string; linkedAs?: string };
}

export async function findConsentBackends(user: Caller, backendSlug: string | undefined): Promise<ConsentBackend[]> {
  const [backends, links] = await Promise.all([loadRuntimeBackends(), findLinksForUser(user.userId)]);
  const linkByProvider = new Map(links.map((l) => [l.providerId, l]));
  return backends
    .filter((b) => !b.problem && b.auth && (!backendSlug || b.slug === backendSlug) && isVisibleTo(b, user))
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .map((b): ConsentBackend => {
      const base = { slug: b.slug, displayName: b.displayName };
      if (b.auth?.mode !== "linked_account") return { ...base, status: "no_link_needed" };
      const link = linkByProvider.get(b.auth.providerId);
      const provider = { slug: b.auth.providerSlug, name: b.auth.providerName };
      if (!link) return { ...base, status: "not_linked", provider };
      if (link.status !== "active") return { ...base, status: "needs_relink", provider };
      return { ...base, status: "linked", provider: { ...provider, linkedAs: link.externalName } };
    });
}
