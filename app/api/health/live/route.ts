// GET /api/health/live — liveness: the process answers (restart it only when this fails)
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" });
}
