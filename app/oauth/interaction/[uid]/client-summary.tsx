// Who is asking: the client's name, a logo stand-in (its initials: the page loads no foreign images),
// its home page and publisher as its registration or metadata document gives them, and the warnings
// a person should read before approving.
import { textLink } from "@/app/oauth/interaction/[uid]/consent-styles";
import type { PendingAuthorization } from "@/lib/oauth-server/interaction";

export function ClientSummary({ pending }: { pending: PendingAuthorization }) {
  const { client } = pending;
  return (
    <div className="flex items-start gap-4">
      <div
        aria-hidden="true"
        className="flex h-12 w-12 shrink-0 items-center justify-center rounded-lg bg-brand-50 text-lg font-bold text-brand-700"
        data-testid="consent-logo"
      >
        {client.initials}
      </div>
      <div className="min-w-0 text-sm">
        <p className="break-words font-semibold text-slate-900" data-testid="consent-client">
          {client.name}
        </p>
        {client.homePage && (
          <p className="text-slate-600">
            Home page:{" "}
            <a href={client.homePage.url} className={textLink} rel="noopener noreferrer" target="_blank" data-testid="consent-home-page">
              {client.homePage.host}
            </a>
          </p>
        )}
        <p className="break-all text-xs text-slate-500">
          {client.publishedBy
            ? `Described by a document published at ${client.publishedBy}`
            : `Registered with Gatehouse as ${pending.clientId}`}
        </p>
      </div>
    </div>
  );
}

export function ConsentWarnings({ pending }: { pending: PendingAuthorization }) {
  const { redirect } = pending.client;
  const warnings: string[] = [];
  if (pending.firstSeen)
    warnings.push(
      "Nobody at this Gatehouse has approved this client before. Approve it only if you started this connection yourself just now.",
    );
  if (redirect.kind === "loopback")
    warnings.push(
      `It returns to a program on your computer (${redirect.host}). Any program on this computer could listen there: approve only if you just started the connection from your AI client.`,
    );
  if (redirect.kind === "native")
    warnings.push(
      `It returns to an app on this device through ${redirect.host}. Any app can claim that address: approve only if you just started the connection from that app.`,
    );
  if (warnings.length === 0) return null;
  return (
    <div
      role="note"
      aria-label="Check before you approve"
      className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <p className="font-semibold">Check before you approve</p>
      <ul className="mt-1 list-disc space-y-1 pl-5" data-testid="consent-warnings">
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}
