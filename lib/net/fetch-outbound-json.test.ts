// The fetch a client metadata document goes through: policy, no redirects, a size limit.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnvForTests } from "@/lib/env";
import { fetchOutboundJson } from "@/lib/net/fetch-outbound-json";
import { OutboundRefusedError } from "@/lib/net/outbound-policy";

let server: http.Server;
let base: string;
beforeAll(async () => {
  setEnvForTests({
    NODE_ENV: "test",
    KEYCLOAK_ISSUER: "http://127.0.0.1:9/realms/r",
    KEYCLOAK_CLIENT_ID: "c",
    KEYCLOAK_CLIENT_SECRET: "s",
    LOG_LEVEL: "silent",
  });
  server = http.createServer((req, res) => {
    if (req.url === "/client.json")
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ client_id: `${base}/client.json` }));
    if (req.url === "/moved") return void res.writeHead(302, { location: "/client.json" }).end();
    if (req.url === "/huge") {
      // No content-length: streamed until the reader gives up.
      res.writeHead(200, { "content-type": "application/json" });
      res.write(`{"x":"${"a".repeat(70_000)}`);
      return void res.end('"}');
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("fetchOutboundJson", () => {
  it("reads a small JSON document", async () => {
    expect(await fetchOutboundJson(`${base}/client.json`)).toEqual({ client_id: `${base}/client.json` });
  });

  it("refuses internal addresses, redirects (even same-host), oversize bodies and errors, each by name", async () => {
    await expect(fetchOutboundJson("https://169.254.169.254/client.json")).rejects.toThrow(/link-local address/);
    await expect(fetchOutboundJson(`${base}/moved`)).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(fetchOutboundJson(`${base}/huge`)).rejects.toThrow(/is larger than 65536 bytes/);
    await expect(fetchOutboundJson(`${base}/nope`)).rejects.toThrow(/answered HTTP 404/);
  });
});
