// npm run test:conformance — the official MCP conformance server suite (every scenario, on Node 22)
// against our everything backend alone, then through the gateway at /api/mcp/<slug> and at /api/mcp
// with that backend's prefix empty. The suite signs in to nothing, so a small proxy in front of the
// gateway adds a test user's token (and leaves Host and Origin as the suite sent them).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEverythingBackend } from "@/testkit/conformance/everything-backend";
import { startGatewayTestStack } from "@/testkit/gateway-stack";

const node22 = execFileSync("bash", [path.join(process.cwd(), "scripts/node22.sh")], { encoding: "utf8" }).trim();
const suiteBin = path.join(process.cwd(), "node_modules/@modelcontextprotocol/conformance/dist/index.js");

/** Runs the suite in a child process (asynchronously: the backend and the gateway live in this one). */
async function runSuite(label: string, url: string): Promise<{ passed: number; total: number }> {
  const out = mkdtempSync(path.join(tmpdir(), "conformance-"));
  const child = spawn(node22, [suiteBin, "server", "--url", url, "--suite", "all", "-o", out], { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (c: Buffer) => (text += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (text += c.toString("utf8")));
  await new Promise((resolve) => child.once("close", resolve));
  const lines = text.split("\n").filter((l) => /^[✓✗] /.test(l));
  const passed = lines.filter((l) => l.startsWith("✓")).length;
  console.log(`\n${label}: ${passed}/${lines.length} scenarios pass (${url})`);
  for (const l of lines.filter((l) => l.startsWith("✗"))) console.log(`  ${l}`);
  return { passed, total: lines.length };
}

// `npm run test:conformance -- scoped` runs one target only (alone, scoped or root); all three by default.
const only = process.argv[2];
const wanted = (target: string) => only === undefined || only === target;
const backend = await startEverythingBackend();
const results: { passed: number; total: number }[] = [];
if (wanted("alone")) results.push(await runSuite("everything backend alone", backend.url.replace("127.0.0.1", "localhost")));

const stack = await startGatewayTestStack();
await stack.addBackend({ slug: "everything", displayName: "Everything", url: backend.url, auth: { mode: "none" } } as never);
await stack.addBackend({
  slug: "bare",
  displayName: "Everything, unprefixed",
  url: backend.url,
  toolPrefix: "",
  auth: { mode: "none" },
} as never);
let token = { value: "", at: 0 };
const freshToken = async () => {
  if (Date.now() - token.at > 60_000) token = { value: await stack.tokenFor("alice"), at: Date.now() };
  return token.value;
};
const target = new URL(stack.url);
const proxy = createServer((req, res) => {
  void freshToken().then((bearer) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, authorization: `Bearer ${bearer}` },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
});
await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
const origin = `http://localhost:${(proxy.address() as AddressInfo).port}`;
if (wanted("scoped")) results.push(await runSuite("through the gateway at /api/mcp/everything", `${origin}/api/mcp/everything`));
if (wanted("root")) results.push(await runSuite("through the gateway at /api/mcp (empty prefix)", `${origin}/api/mcp`));

proxy.close();
proxy.closeAllConnections();
await stack.close();
await backend.close();
process.exit(results.every((r) => r.total > 0 && r.passed === r.total) ? 0 : 1);
