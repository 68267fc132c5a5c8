// A replica shutting down ends its clients' standalone GET streams cleanly (they carry no call, so
// shutdown must not wait its whole grace period for them), and refuses to hold a new one open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endListeningStreams } from "@/lib/health/draining";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

describe("[gateway] standalone streams at shutdown", () => {
  let stack: GatewayTestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startGatewayTestStack();
    token = await stack.tokenFor("alice");
  }, 180_000);
  afterAll(() => stack?.close());

  const listen = async () => {
    const res = await fetch(stack.mcpUrl, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(": listening");
    return reader;
  };
  // Everything the stream still sends, until it ends.
  const rest = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    return text;
  };

  it("an open stream ends when the listener closes, and one opened afterwards ends at once", async () => {
    const open = await listen();
    const ended = rest(open);
    endListeningStreams();
    await expect(ended).resolves.toBe("");
    const late = await listen();
    await expect(rest(late)).resolves.toBe("");
  }, 60_000);
});
