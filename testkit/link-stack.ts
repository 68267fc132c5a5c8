// For the linked-account integration tests: the shared test app (world, configuration, database:
// in-memory PGlite, or a new database on the TEST_DATABASE_URL server), the GitLab provider as the
// demo seeds it, and two users.
import "@/testkit/preset";
import { randomUUID } from "node:crypto";
import { seedProviders } from "@/e2e/seed-providers";
import type { World } from "@/e2e/world";
import type { Db } from "@/lib/db";
import { completeLink, type CompleteLinkResult } from "@/lib/links/complete-link";
import { startLink } from "@/lib/links/start-link";
import { getProvider } from "@/lib/providers/get-provider";
import type { PublicProvider } from "@/lib/providers/public-provider";
import { startTestApp } from "@/testkit/test-app";

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
  // Never listened on: tests complete the callback in-process.
  const app = await startTestApp({ appUrl: "http://127.0.0.1:39999", postgresUrl: opts.postgresUrl });
  const { world, db } = app;
  // The same GitLab provider the demo and the e2e suite seed.
  const gitlab = await getProvider((await seedProviders(world)).gitlab.id);
  const user = (name: string) =>
    db.prisma.user.create({
      data: { issuer: world.keycloak.issuer, sub: `${name}-${randomUUID()}`, username: name, roles: [], groups: [] },
      select: { id: true },
    });
  const [alice, bob] = [await user("alice"), await user("bob")];
  return { world, db, appEnv: app.appEnv, databaseUrl: app.databaseUrl, gitlab, alice, bob, close: app.close };
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
export async function authorizeAt(
  s: LinkTestStack,
  userId: string,
  gitlabUser: string,
  opts: { returnTo?: string; deny?: boolean } = {},
): Promise<URL> {
  const { authorizationUrl } = await startLink({ userId, providerSlug: "gitlab", returnTo: opts.returnTo });
  const password = s.world.gitlab.users.find((u) => u.username === gitlabUser)!.password;
  return new URL(await s.world.gitlab.authorizeAs(authorizationUrl, gitlabUser, password, { deny: opts.deny }));
}
