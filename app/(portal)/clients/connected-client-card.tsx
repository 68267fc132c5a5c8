// One connected client: its name and id, the endpoints it may call, when it was first and last used,
// how many calls it made in the last 7 days, and Revoke.
import { RevokeControl } from "@/app/(portal)/_components/revoke-control";
import { revokeClientAction } from "@/app/(portal)/clients/revoke-client-action";
import { when } from "@/app/(portal)/links/link-styles";
import type { ConnectedClient } from "@/lib/oauth-server/connected-clients";

export function ConnectedClientCard({ client }: { client: ConnectedClient }) {
  const c = client;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid={`connected-client-${c.grantId}`}>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-slate-900">{c.clientName}</h2>
          {c.clientName !== c.clientId && <p className="break-all font-mono text-xs text-slate-500">{c.clientId}</p>}
          <p className="mt-2 text-sm text-slate-700">
            Endpoint{c.resources.length === 1 ? "" : "s"}:{" "}
            {c.resources.map((r) => (
              <code key={r} className="mr-1 break-all rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                {endpointPath(r)}
              </code>
            ))}
          </p>
          <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-xs text-slate-500">Connected</dt>
              <dd>{when(c.grantedAt)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Last used</dt>
              <dd>{when(c.lastUsedAt, "not yet")}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Calls, last 7 days</dt>
              <dd data-testid="calls-last-7-days">{c.callsLast7Days}</dd>
            </div>
          </dl>
          {c.firstUsedAt && <p className="mt-1 text-xs text-slate-500">First call {when(c.firstUsedAt)}</p>}
        </div>
        <div className="shrink-0">
          <RevokeControl
            action={revokeClientAction}
            id={c.grantId}
            what={c.clientName}
            question={`Revoke ${c.clientName}? It stops working at once and must sign in again to come back.`}
          />
        </div>
      </div>
    </li>
  );
}

function endpointPath(resource: string): string {
  try {
    return new URL(resource).pathname;
  } catch {
    return resource;
  }
}
