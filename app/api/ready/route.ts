// GET /api/ready — readiness: the database answers and every migration is applied
import { checkReady } from "@/lib/db/ready";

export const dynamic = "force-dynamic";

export async function GET() {
  const ready = await checkReady();
  return Response.json(ready, { status: ready.ok ? 200 : 503 });
}
