// The test backends' tools for 2026-07-28 clients (SDK v2), served beside the handshake-era ones on
// the same URL by a backend in its dual-era mode.
import { McpServer, type ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";

const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });

export function buildModernBackendServer(name: string, whoami: (ctx: ServerContext) => string): McpServer {
  const server = new McpServer({ name, version: "2.0.0" });
  server.registerTool("whoami", { description: "Who this backend takes the caller to be." }, (ctx) => text(whoami(ctx)));
  server.registerTool(
    "echo",
    { description: "Returns the text it is given.", inputSchema: z.object({ text: z.string() }) },
    ({ text: t }) => text(t),
  );
  server.registerTool("add", { description: "Adds two numbers.", inputSchema: z.object({ a: z.number(), b: z.number() }) }, ({ a, b }) =>
    text(String(a + b)),
  );
  return server;
}
