// The home page's two summaries: linked accounts and connected clients, each leading to its page.
import Link from "next/link";
import { when } from "@/app/(portal)/links/link-styles";
import type { PublicLink } from "@/lib/links";
import type { ConnectedClient } from "@/lib/oauth-server/connected-clients";
import type { PublicProvider } from "@/lib/providers";

function Card({ id, title, more, children }: { id: string; title: string; more: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} data-testid={id} className="flex flex-col rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={id} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      <div className="mt-3 flex-1 text-sm">{children}</div>
      <div className="mt-4 text-sm font-semibold text-brand-700">{more}</div>
    </section>
  );
}

function LinkState({ link }: { link: PublicLink | undefined }) {
  if (!link) return <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">Not linked</span>;
  if (link.status === "needs_relink")
    return <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">Needs re-link</span>;
  return <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800">Linked as {link.externalName}</span>;
}

export function LinksCard({ providers, links }: { providers: PublicProvider[]; links: PublicLink[] }) {
  const linkOf = new Map(links.map((l) => [l.providerId, l]));
  return (
    <Card
      id="home-links"
      title="Linked accounts"
      more={
        <Link href="/links" className="hover:underline">
          Manage linked accounts →
        </Link>
      }
    >
      {providers.length === 0 ? (
        <p className="text-slate-600">No accounts to link: your administrator has not set up any provider.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {providers.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid={`home-link-${p.slug}`}>
              <span className="font-medium text-slate-800">{p.displayName}</span>
              <LinkState link={linkOf.get(p.id)} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function ClientsCard({ clients, appUrl }: { clients: ConnectedClient[]; appUrl: string }) {
  const endpoint = (url: string) => (url.startsWith(appUrl) ? url.slice(appUrl.length) : url);
  return (
    <Card
      id="home-clients"
      title="Connected clients"
      more={
        <Link href="/clients" className="hover:underline">
          Manage connected clients →
        </Link>
      }
    >
      {clients.length === 0 ? (
        <p className="text-slate-600">
          No AI client acts as you yet.{" "}
          <Link href="/connect" className="font-semibold text-brand-700 hover:underline">
            Connect one
          </Link>
          .
        </p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {clients.map((c) => (
            <li key={c.grantId} className="py-2">
              <p className="font-medium break-words text-slate-800">{c.clientName}</p>
              <p className="text-xs text-slate-500">
                {c.resources.map(endpoint).join(", ") || "no endpoint"} · connected {when(c.grantedAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
