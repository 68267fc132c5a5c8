// A replica told to stop while a call is in flight: readiness says 503 at once, the call still
// finishes, and shutdown waits for it instead of cutting it.
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { checkReadiness } from "@/lib/health/check-readiness";
import { beginDraining, inflightRequests, waitForIdle } from "@/lib/health/draining";
import { createAppServer } from "@/lib/http/app-server";
import { startTestApp, type TestApp } from "@/testkit/test-app";

let app: TestApp | undefined;
afterAll(() => app?.close());

describe("[health] graceful shutdown", () => {
  it("a slow call started before SIGTERM completes, while readiness already answers not ready", async () => {
    app = await startTestApp({ appUrl: "http://127.0.0.1:39998" });
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    const server = createAppServer({
      next: (_req, res) => void res.end("next"),
      mcp: async (_req, res) => {
        await held;
        res.end("the answer");
      },
      oauth: { matches: () => false, handle: () => undefined },
      appUrl: "http://127.0.0.1:39998",
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/mcp`;

    expect((await checkReadiness()).checks.draining).toBe("ok");
    const call = fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then((r) => r.text());
    await expect.poll(() => inflightRequests()).toBe(1);

    beginDraining();
    const readiness = await checkReadiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.draining).toBe("shutting down");
    server.close();
    // Not idle while the call is held: shutdown would wait here.
    expect(await waitForIdle(50)).toBe(false);
    release();
    expect(await waitForIdle(10_000)).toBe(true);
    expect(await call).toBe("the answer");
    expect(inflightRequests()).toBe(0);
  }, 120_000);
});
