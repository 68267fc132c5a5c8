// A backend that closes a kept-alive socket just as the gateway sends a call on it (its idle timeout
// racing the gateway's reuse) resets it before answering: the gateway sends the call once more on a
// new socket, so the client never sees "closed the connection" for it.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let front: Server;
let resetNext = false;
let resets = 0;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  const target = new URL(stack.world.backends.open.url);
  // In front of the open backend: when told, a request on a socket that already served one is cut.
  front = createServer((req, res) => {
    const reused = (req.socket as { served?: number }).served ?? 0;
    (req.socket as { served?: number }).served = reused + 1;
    if (resetNext && reused > 0) {
      resetNext = false;
      resets++;
      return void req.socket.resetAndDestroy();
    }
    const upstream = request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  await stack.addBackend({
    slug: "kept",
    displayName: "Kept alive",
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}${target.pathname}`,
    auth: { mode: "none" },
  });
}, 180_000);
afterAll(async () => {
  front?.closeAllConnections();
  front?.close();
  await stack?.close();
});

describe("[gateway] a kept-alive socket reset as a call goes out", () => {
  it("the call is sent again on a new socket and answers", async () => {
    const client = await stack.connect("alice");
    const echo = (text: string) => client.callTool({ name: "kept_echo", arguments: { text } }) as Promise<{ content: { text: string }[] }>;
    expect((await echo("warm")).content[0]!.text).toBe("warm");
    resetNext = true;
    expect((await echo("again")).content[0]!.text).toBe("again");
    expect(resets).toBe(1);
    await client.close();
  });
});
