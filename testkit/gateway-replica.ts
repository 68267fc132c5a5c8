// Another app replica for cross-process tests (not shipped code): the gateway and the authorization
// server of this process, configured by its environment like the app (same APP_URL, keys and
// database as the test's own), on a random loopback port it prints as its first line.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGateway } from "@/gateway/gateway";
import { createNodeHandler } from "@/gateway/http/node-handler";
import { getDb } from "@/lib/db";
import { handleOAuthRequest, isOAuthPath } from "@/lib/oauth-server";

await getDb().$queryRaw`SELECT 1`;
const gateway = createNodeHandler(createGateway());
const server = createServer((req, res) => void (isOAuthPath(req.url ?? "/") ? handleOAuthRequest(req, res) : gateway(req, res)));
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.stdin.once("end", () => process.exit(0));
process.stdin.resume();
