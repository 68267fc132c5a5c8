// The MCP era a backend speaks, as Gatehouse last found it: the 2026-07-28 stateless protocol or the
// handshake era (initialize and sessions), with the version negotiated.
import type { PublicBackend } from "@/lib/backends/backend-public";

export function EraLabel({ era }: { era: NonNullable<PublicBackend["era"]> }) {
  const modern = era.era === "2026-07-28";
  return (
    <span title={modern ? "Stateless: server/discover, no session" : "Handshake era: initialize and a session"}>
      <span className={modern ? "text-brand-700" : "text-slate-700"}>{modern ? "2026-07-28" : "Handshake"}</span>
      {!modern && <span className="text-xs text-slate-500"> · {era.protocolVersion}</span>}
    </span>
  );
}
