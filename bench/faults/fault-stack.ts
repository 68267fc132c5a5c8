// Everything the fault suite's phases share: a private PostgreSQL cluster, the test world (Keycloak,
// the GitLab stand-in, the open and static-key backends) and the seeded providers and backends in
// this process (which also plays "replica A" for admin changes, as an admin's console would), two
// replica processes behind the round-robin proxy (APP_URL is the proxy's), alice linked to GitLab,
// and the steady load.
import { randomUUID } from "node:crypto";
import { startLoad, type LoadDriver } from "@/bench/faults/load-driver";
import { startPrivatePostgres, type PrivatePostgres } from "@/bench/faults/private-postgres";
import { startReplicaProcess, type ReplicaProcess } from "@/bench/faults/replica-process";
import { startRoundRobinProxy, type RoundRobinProxy } from "@/bench/faults/round-robin-proxy";
import { seededBackendInputs } from "@/e2e/seed-backends";
import { seedProviders } from "@/e2e/seed-providers";
import type { World } from "@/e2e/world";
import { inboundVerifier } from "@/lib/auth/inbound-verifier";
import { createBackend } from "@/lib/backends/create-backend";
import { closeBus } from "@/lib/bus/bus";
import type { Db } from "@/lib/db";
import { storeLink } from "@/lib/links/store-link";
import { upsertUser } from "@/lib/users/upsert-user";
import { startTestApp, type TestUser } from "@/testkit/test-app";

export const FAULT_ENV = { LIST_BUDGET_MS: "1500", SHUTDOWN_GRACE_SECONDS: "25" };

export interface FaultStack {
  world: World;
  db: Db;
  postgres: PrivatePostgres;
  appEnv: Record<string, string>;
  proxy: RoundRobinProxy;
  replicas: ReplicaProcess[];
  load: LoadDriver;
  providerId: string;
  backendIds: Record<"gitlab" | "tickets" | "search" | "utils", string>;
  tokenFor(user: TestUser): Promise<string>;
  userIdOf(user: TestUser): Promise<string>;
  /** Links the user's GitLab account (to the seeded provider unless another is named), as the link flow would. */
  linkGitLab(user: TestUser, provider?: { id: string; slug: string }): Promise<void>;
  /** Starts a replica process with the suite's configuration and puts it behind the proxy. */
  addReplica(name: string): Promise<ReplicaProcess>;
  close(): Promise<void>;
}

export async function startFaultStack(opts: { callsPerSecond: number; clients: number }): Promise<FaultStack> {
  const postgres = await startPrivatePostgres();
  const proxy = await startRoundRobinProxy();
  const app = await startTestApp({ appUrl: proxy.url, postgresUrl: postgres.adminUrl, env: FAULT_ENV });
  const { world, tokenFor } = app;
  const providers = await seedProviders(world);
  const backendIds = {} as FaultStack["backendIds"];
  for (const input of seededBackendInputs(world, providers)) {
    const slug = input.slug as keyof FaultStack["backendIds"];
    // The open backend's arguments are audited: each load call's number finds its audit row.
    backendIds[slug] = (await createBackend(slug === "utils" ? { ...input, auditArguments: true } : input, { userId: null })).id;
  }
  const userIdOf = async (user: TestUser) => (await upsertUser((await inboundVerifier().verify(await tokenFor(user))).identity)).id;
  const linkGitLab = async (user: TestUser, provider = providers.gitlab) => {
    const tokens = await world.gitlab.issueTokens({ username: user, clientId: world.gitlabApp.clientId, scopes: ["mcp", "read_user"] });
    const account = world.gitlab.users.find((u) => u.username === user)!;
    const result = await storeLink({
      userId: await userIdOf(user),
      providerId: provider.id,
      providerSlug: provider.slug,
      externalId: String(account.id),
      externalName: account.username,
      scopes: tokens.scope.split(" "),
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: new Date(Date.now() + tokens.expires_in * 1000),
    });
    if (!result.ok) throw new Error(`could not link ${user}: ${result.reason}`);
  };
  await linkGitLab("alice");

  const replicas: ReplicaProcess[] = [];
  const addReplica = async (name: string) => {
    const replica = await startReplicaProcess(name, app.appEnv);
    replicas.push(replica);
    proxy.add(name, replica.url);
    return replica;
  };
  await addReplica("A");
  await addReplica("B");
  const load = await startLoad({
    mcpUrl: `${proxy.url}/api/mcp`,
    newToken: () => tokenFor("alice"),
    callsPerSecond: opts.callsPerSecond,
    clients: opts.clients,
  });
  return {
    world,
    db: app.db,
    postgres,
    appEnv: app.appEnv,
    proxy,
    replicas,
    load,
    providerId: providers.gitlab.id,
    backendIds,
    tokenFor,
    userIdOf,
    linkGitLab,
    addReplica,
    async close() {
      await load.stop();
      for (const r of replicas) r.child.kill("SIGKILL");
      await proxy.close();
      await closeBus();
      await app.close();
      await postgres.destroy();
    },
  };
}

/** A fresh name for a fault run's own rows (backends, secrets). */
export const fresh = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
