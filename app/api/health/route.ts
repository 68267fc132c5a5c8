// GET /api/health — the process answers, and whether it hears the other replicas' changes
import { bus } from "@/lib/bus/bus";

export const dynamic = "force-dynamic";

export function GET() {
  // While the bus is down this replica may serve state another replica changed: say so (the
  // caches are dropped when it listens again).
  const status = bus().status();
  return Response.json({
    status: status.listening ? "ok" : "degraded",
    bus: { kind: status.kind, listening: status.listening, ...(status.downSince ? { downSince: status.downSince.toISOString() } : {}) },
  });
}
