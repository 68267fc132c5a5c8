// The backends the client will reach as the person, each with its link status, and for a provider
// not linked yet: "Link now" (the portal's link flow, coming back here) or "Later".
import { startHref } from "@/app/(portal)/links/link-styles";
import type { ConsentBackend, ConsentLinkStatus } from "@/app/oauth/interaction/[uid]/consent-backends";
import { smallPrimary } from "@/app/oauth/interaction/[uid]/consent-styles";
import { LaterButton } from "@/app/oauth/interaction/[uid]/later-button";

const STATUS: Record<ConsentLinkStatus, { label: string; className: string }> = {
  linked: { label: "Linked", className: "bg-emerald-50 text-emerald-800" },
  needs_relink: { label: "Needs re-link", className: "bg-amber-50 text-amber-900" },
  not_linked: { label: "Not linked", className: "bg-slate-100 text-slate-700" },
  no_link_needed: { label: "No link needed", className: "bg-slate-50 text-slate-600" },
};

export function BackendList({ backends, uid, clientName }: { backends: ConsentBackend[]; uid: string; clientName: string }) {
  if (backends.length === 0) return <p className="text-sm text-slate-600">No backend is available to you at this endpoint yet.</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" data-testid="consent-backends">
      {backends.map((b) => (
        <li key={b.slug} data-testid={`consent-backend-${b.slug}`} className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3">
          <div className="min-w-0 flex-1">
            <p className="font-medium text-slate-900">{b.displayName}</p>
            <p className="text-xs text-slate-500">{detail(b)}</p>
          </div>
          <span data-testid="link-status" className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${STATUS[b.status].className}`}>
            {STATUS[b.status].label}
          </span>
          {b.provider && (b.status === "not_linked" || b.status === "needs_relink") && (
            <div className="flex basis-full flex-wrap items-center gap-2 sm:basis-auto">
              <a href={startHref(b.provider.slug, `/oauth/interaction/${uid}`)} className={smallPrimary}>
                {b.status === "needs_relink" ? "Re-link now" : "Link now"}
                <span className="sr-only"> {b.provider.name}</span>
              </a>
              <LaterButton backend={b.displayName} provider={b.provider.name} client={clientName} />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function detail(b: ConsentBackend): string {
  if (!b.provider) return "Gatehouse signs in to it for you";
  if (b.status === "linked") return `As your ${b.provider.name} account ${b.provider.linkedAs ?? ""}`.trim();
  if (b.status === "needs_relink") return `Your ${b.provider.name} link stopped working`;
  return `Acts as your own ${b.provider.name} account`;
}
