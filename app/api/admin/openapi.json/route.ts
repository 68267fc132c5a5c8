// GET /api/admin/openapi.json — the OpenAPI 3.1 document of this admin API
import { withAdmin } from "@/lib/auth/route";
import { env } from "@/lib/env";
import { buildOpenApiDocument } from "@/lib/openapi/build-document";

export const GET = withAdmin(async () => Response.json(buildOpenApiDocument(env().APP_URL)));
