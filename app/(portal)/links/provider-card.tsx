// One provider on the Linked accounts page: not linked / linked as … / needs re-link, with actions.
import { primaryButton, secondaryButton, startHref, when } from "@/app/(portal)/links/link-styles";
import { UnlinkControl } from "@/app/(portal)/links/unlink-control";
import type { PublicLink } from "@/lib/links";
import type { PublicProvider } from "@/lib/providers";

export function ProviderCard({ provider, link, revoking }: { provider: PublicProvider; link: PublicLink | undefined; revoking?: boolean }) {
  const slug = provider.slug;
  return (
    <section
      aria-labelledby={`provider-${slug}`}
      data-testid={`provider-${slug}`}
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 id={`provider-${slug}`} className="text-base font-semibold text-slate-900">
            {provider.displayName}
          </h2>
          {provider.baseUrl && <p className="text-xs text-slate-500">{provider.baseUrl}</p>}
          <Status link={link} />
          {revoking && (
            // An earlier link's grant is still owed a revocation there (the outbox retries it).
            <p className="mt-1 text-xs text-slate-500" data-testid="link-revoking">
              Revoking the earlier access at {provider.displayName}…
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-start gap-2">
          {!link && (
            <a href={startHref(slug, "/links")} className={primaryButton}>
              Link {provider.displayName}
            </a>
          )}
          {link && (
            <a href={startHref(slug, "/links")} className={link.status === "needs_relink" ? primaryButton : secondaryButton}>
              Re-link
            </a>
          )}
          <UnlinkControl providerId={provider.id} providerName={provider.displayName} linked={Boolean(link)} />
        </div>
      </div>
      {link && <Details link={link} />}
    </section>
  );
}

function Status({ link }: { link: PublicLink | undefined }) {
  if (!link)
    return (
      <p className="mt-2 text-sm text-slate-600" data-testid="link-status">
        Not linked
      </p>
    );
  if (link.status === "needs_relink") {
    return (
      <div className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="link-status">
        <p className="font-semibold">Needs re-link</p>
        <p>{link.statusReason ?? "The stored access no longer works."}</p>
      </div>
    );
  }
  return (
    <p className="mt-2 text-sm text-emerald-700" data-testid="link-status">
      Linked as {link.externalName}
    </p>
  );
}

function Details({ link }: { link: PublicLink }) {
  const rows: [string, string][] = [
    ["Scopes", link.scopes.length ? link.scopes.join(" ") : "—"],
    ["Linked", when(link.linkedAt)],
    ["Last used", when(link.lastUsedAt, "never")],
    ["Token expires", link.status === "active" ? when(link.expiresAt, "does not expire") : "—"],
  ];
  return (
    <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{term}</dt>
          <dd className="mt-0.5 text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
