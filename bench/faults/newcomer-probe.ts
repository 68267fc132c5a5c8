// Calls that need the database, for the outage phase: every few hundred milliseconds a user the
// gateway has never seen (added to the Keycloak stand-in) connects through the proxy and calls the
// open backend, so the gateway must record the user first. Each attempt is kept: when, ok or the
// message the client saw, how long it took.
import { randomUUID } from "node:crypto";
import type { FaultStack } from "@/bench/faults/fault-stack";
import { connectClient } from "@/bench/faults/load-driver";

const EVERY_MS = 300;
const ATTEMPT_TIMEOUT_MS = 15_000;

export interface ProbeAttempt {
  at: number;
  ok: boolean;
  ms: number;
  error?: string;
}

export function startNewcomerProbe(s: FaultStack): { attempts: ProbeAttempt[]; stop(): Promise<void> } {
  const attempts: ProbeAttempt[] = [];
  const running = new Set<Promise<void>>();
  const attempt = async () => {
    const username = `newcomer-${randomUUID().slice(0, 8)}`;
    const password = randomUUID();
    s.world.keycloak.users.push({
      username,
      password,
      sub: randomUUID(),
      email: `${username}@example.test`,
      name: username,
      realmRoles: [],
      groups: [],
    });
    const token = (await s.world.keycloak.passwordGrant({ username, password, clientId: s.world.gatehouseClient.clientId })).access_token;
    const at = performance.now();
    try {
      const client = await connectClient(`${s.proxy.url}/api/mcp`, () => token, username);
      const result = await client.callTool({ name: "utils_add", arguments: { a: 1, b: 1 } }, undefined, { timeout: ATTEMPT_TIMEOUT_MS });
      await client.close();
      const text = (result.content as { text?: string }[])[0]?.text ?? "";
      attempts.push({ at, ms: performance.now() - at, ok: !result.isError, ...(result.isError ? { error: text } : {}) });
    } catch (e) {
      attempts.push({ at, ms: performance.now() - at, ok: false, error: (e as Error).message });
    }
  };
  const timer = setInterval(() => {
    const p = attempt().finally(() => running.delete(p));
    running.add(p);
  }, EVERY_MS);
  return {
    attempts,
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
