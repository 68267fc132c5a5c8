// For the gateway's integration tests: the shared test app (world, configuration, in-memory
// database), one provider and four backends (one per outgoing auth mode, as e2e/seed-backends.ts
// seeds them), and the gateway's Node handler on a random loopback port.
import "@/testkit/preset";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { seededBackendInputs } from "@/e2e/seed-backends";
import { seedProviders } from "@/e2e/seed-providers";
import type { World } from "@/e2e/world";
import { closeGateway, createGateway, type Gateway, type GatewayOptions } from "@/gateway/gateway";
import { createNodeHandler } from "@/gateway/http/node-handler";
import { protectedResourceMetadata } from "@/gateway/inbound/protected-resource";
import { inboundVerifier } from "@/lib/auth/inbound-verifier";
import type { BackendInput } from "@/lib/backends/backend-schema";
import { createBackend } from "@/lib/backends/create-backend";
import { closeBus } from "@/lib/bus/bus";
import type { Db } from "@/lib/db";
import { storeLink } from "@/lib/links/store-link";
import { handleOAuthRequest, isOAuthPath } from "@/lib/oauth-server";
import { stopRevokedGrants } from "@/lib/oauth-server/revoked-grants";
import { stopAcceptedTokens } from "@/lib/personal-access-tokens/accepted-tokens";
import { upsertUser } from "@/lib/users/upsert-user";
import { startTestApp, type TestUser } from "@/testkit/test-app";

export type { TestUser };

export interface GatewayTestStack {
  world: World;
  db: Db;
  /** The gateway's origin, also APP_URL. */
  url: string;
  /** The configuration this process runs with (another replica can start with it). */
  appEnv: Record<string, string>;
  mcpUrl: string;
  gateway: Gateway;
  providerId: string;
  backendIds: Record<"gitlab" | "tickets" | "search" | "utils", string>;
  /** Replaces the gateway behind the port (fresh caches). */
  useGateway(opts?: GatewayOptions): Promise<void>;
  tokenFor(user: TestUser, clientId?: string): Promise<string>;
  /** The user's Gatehouse id (the row is created as an MCP call would). */
  userIdOf(user: TestUser): Promise<string>;
  /** Links the user's GitLab account, as the link flow would have stored it. */
  linkGitLab(user: TestUser): Promise<void>;
  /** A connected SDK client as `user`. */
  connect(user: TestUser, opts?: { elicitationUrl?: boolean; path?: string; token?: string }): Promise<Client>;
  addBackend(input: BackendInput): Promise<string>;
  close(): Promise<void>;
}

/** `postgresUrl`: a fresh database on that PostgreSQL server (dropped at close) instead of in-memory PGlite. */
export async function startGatewayTestStack(
  opts: { gateway?: GatewayOptions; postgresUrl?: string; env?: Record<string, string>; modernEras?: boolean } = {},
): Promise<GatewayTestStack> {
  // The port first: APP_URL (link URLs, resource metadata) must name it.
  let gateway: Gateway | undefined;
  let handler = createNodeHandler({ handle: async () => ({ status: 503, headers: {} }), upstreamSessions: 0, close: async () => {} });
  // Routed like server.ts: the MCP gateway, the authorization server, and (Next's, in the app) the
  // protected resource metadata MCP clients read first.
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (isOAuthPath(path)) return void handleOAuthRequest(req, res);
    const metadata = /^\/\.well-known\/oauth-protected-resource\/api\/mcp(?:\/([a-z0-9-]+))?$/.exec(path);
    if (metadata) {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify(protectedResourceMetadata({ slug: metadata[1] })));
    }
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const app = await startTestApp({ appUrl: url, postgresUrl: opts.postgresUrl, env: opts.env, modernEras: opts.modernEras });
  const { world, db, tokenFor, appEnv } = app;

  // The same provider and backends as the e2e suite and the demo; utilities with a short timeout.
  const providers = await seedProviders(world);
  const addBackend = async (input: BackendInput) => (await createBackend(input, { userId: null })).id;
  const backendIds = {} as GatewayTestStack["backendIds"];
  for (const input of seededBackendInputs(world, providers)) {
    const slug = input.slug as keyof GatewayTestStack["backendIds"];
    backendIds[slug] = await addBackend(slug === "utils" ? { ...input, timeoutMs: 1000 } : input);
  }
  const provider = providers.gitlab;

  const userIdOf = async (user: TestUser) => (await upsertUser((await inboundVerifier().verify(await tokenFor(user))).identity)).id;

  const stack: GatewayTestStack = {
    world,
    db,
    url,
    appEnv,
    mcpUrl: `${url}/api/mcp`,
    get gateway() {
      return gateway!;
    },
    providerId: provider.id,
    backendIds,
    async useGateway(gatewayOpts) {
      await gateway?.close();
      gateway = createGateway(gatewayOpts ?? opts.gateway);
      handler = createNodeHandler(gateway);
    },
    tokenFor,
    userIdOf,
    async linkGitLab(user) {
      const tokens = await world.gitlab.issueTokens({ username: user, clientId: world.gitlabApp.clientId, scopes: ["mcp", "read_user"] });
      const account = world.gitlab.users.find((u) => u.username === user)!;
      const result = await storeLink({
        userId: await userIdOf(user),
        providerId: provider.id,
        providerSlug: "gitlab",
        externalId: String(account.id),
        externalName: account.username,
        scopes: tokens.scope.split(" "),
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        expiresAt: new Date(Date.now() + tokens.expires_in * 1000),
      });
      if (!result.ok) throw new Error(`could not link ${user}: ${result.reason}`);
    },
    async connect(user, connectOpts = {}) {
      const token = connectOpts.token ?? (await tokenFor(user));
      const client = new Client(
        { name: `test-${user}`, version: "1.0.0" },
        { capabilities: connectOpts.elicitationUrl ? { elicitation: { url: {} } } : {} },
      );
      const transport = new StreamableHTTPClientTransport(new URL(`${url}${connectOpts.path ?? "/api/mcp"}`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      });
      await client.connect(transport);
      return client;
    },
    addBackend,
    async close() {
      await gateway?.close();
      await closeGateway();
      await closeBus(); // the bus listens on this stack's database, which closes next
      stopRevokedGrants();
      stopAcceptedTokens();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.close();
    },
  };
  await stack.useGateway(opts.gateway);
  return stack;
}
