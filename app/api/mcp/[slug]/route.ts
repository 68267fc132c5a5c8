// POST /api/mcp/<slug> — the MCP gateway narrowed to one backend, unprefixed tool names (see /api/mcp).
import { handleWebRequest } from "@/gateway/http/web-handler";

export const dynamic = "force-dynamic";

const handle = (req: Request) => handleWebRequest(req);
export { handle as POST, handle as GET, handle as DELETE, handle as OPTIONS };
