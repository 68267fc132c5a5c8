// For the linked-account integration tests (not shipped code): the real test world over HTTP, this
// process configured against it, and a fresh database installed as the app's database — in-memory
// PGlite, or a new database on the TEST_DATABASE_URL server.
import { randomBytes, randomUUID } from "node:crypto";
import { startWorld, type World } from "@/e2e/world";
import { flushAudit } from "@/lib/audit/record-audit";
import { setEnvForTests } from "@/lib/env";
import { createDb, migrate, setDatabaseForTests, type Db } from "@/lib/db";
import { createPostgresTestDatabase } from "@/lib/db/test-database";
import { getProvider } from "@/lib/providers/get-provider";
import { seedProviders } from "@/e2e/seed-providers";
import type { PublicProvider } from "@/lib/providers/public-provider";
import { completeLink, type CompleteLinkResult } from "@/lib/links/complete-link";
import { startLink } from "@/lib/links/start-link";

export interface LinkTestStack {
  world: World;
  db: Db;
  appEnv: Record<string, string>;
  databaseUrl?: string;
  gitlab: PublicProvider;
  alice: { id: string };
  bob: { id: string };
  close(): Promise<void>;
}

export async function startLinkTestStack(opts: { postgresUrl?: string } = {}): Promise<LinkTestStack> {
  const appUrl = "http://127.0.0.1:39999"; // never listened on: tests complete the callback in-process
  const world = await startWorld({ appUrl });
  const database = opts.postgresUrl ? await createPostgresTestDatabase(opts.postgresUrl) : undefined;
  const appEnv: Record<string, string> = {
    NODE_ENV: "test",
    APP_URL: appUrl,
    KEYCLOAK_ISSUER: world.keycloak.issuer,
    KEYCLOAK_CLIENT_ID: world.gatehouseClient.clientId,
    KEYCLOAK_CLIENT_SECRET: world.gatehouseClient.clientSecret,
    GATEHOUSE_KEYS: `t1:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "silent",
    ...(database ? { DATABASE_URL: database.url } : {}),
  };
  setEnvForTests(appEnv);
  const db = createDb(database ? { url: database.url } : { dataDir: "memory" });
  setDatabaseForTests(db);
  await migrate(db);

  // The same GitLab provider the demo and the e2e suite seed.
  const gitlab = await getProvider((await seedProviders(world)).gitlab.id);
  const user = (name: string) =>
    db.prisma.user.create({ data: { issuer: world.keycloak.issuer, sub: `${name}-${randomUUID()}`, username: name, roles: [], groups: [] }, select: { id: true } });
  const [alice, bob] = [await user("alice"), await user("bob")];

  return {
    world,
    db,
    appEnv,
    databaseUrl: database?.url,
    gitlab,
    alice,
    bob,
    async close() {
      await flushAudit();
      await db.close();
      await database?.drop();
      await world.close();
    },
  };
}

/** Start → GitLab's sign-in and Authorize pages (over HTTP) → the callback, as `gitlabUser`. */
export async function linkAs(
  s: LinkTestStack,
  userId: string,
  gitlabUser: "alice" | "bob" | "admin",
  opts: { returnTo?: string; deny?: boolean; completeAs?: string; tamper?: (params: URLSearchParams) => void } = {},
): Promise<{ result: CompleteLinkResult; callback: URL }> {
  const callback = await authorizeAt(s, userId, gitlabUser, opts);
  opts.tamper?.(callback.searchParams);
  const result = await completeLink({ userId: opts.completeAs ?? userId, providerSlug: "gitlab", params: callback.searchParams });
  return { result, callback };
}

/** Start and authorize only: the redirect back to the app, not yet completed. */
export async function authorizeAt(s: LinkTestStack, userId: string, gitlabUser: string, opts: { returnTo?: string; deny?: boolean } = {}): Promise<URL> {
  const { authorizationUrl } = await startLink({ userId, providerSlug: "gitlab", returnTo: opts.returnTo });
  const password = s.world.gitlab.users.find((u) => u.username === gitlabUser)!.password;
  return new URL(await s.world.gitlab.authorizeAs(authorizationUrl, gitlabUser, password, { deny: opts.deny }));
}
