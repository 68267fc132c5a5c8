// The gateway as a Web Request → Response function, for app/api/mcp/** (next dev, and hosts that
// run Next without server.ts). The same core as the Node handler, so both behave alike.
import { Readable } from "node:stream";
import { getGateway, type Gateway } from "@/gateway/gateway";
import { bodyLimitFor, readWebBodyWithin } from "@/lib/http/body-limit";

export async function handleWebRequest(request: Request, gateway: Gateway = getGateway()): Promise<Response> {
  const url = new URL(request.url);
  const signal = request.signal;
  const reply = await gateway.handle({
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    header: (name) => request.headers.get(name) ?? undefined,
    body: () => readWebBodyWithin(request, bodyLimitFor(url.pathname)),
    onAbort: (listener) => {
      if (signal.aborted) {
        listener();
        return () => undefined;
      }
      signal.addEventListener("abort", listener, { once: true });
      return () => signal.removeEventListener("abort", listener);
    },
  });
  const b = reply.body;
  const body =
    b === undefined
      ? null
      : typeof b === "string"
        ? b
        : Buffer.isBuffer(b)
          ? new Uint8Array(b)
          : (Readable.toWeb(b) as ReadableStream<Uint8Array>);
  return new Response(body, { status: reply.status, headers: reply.headers });
}
