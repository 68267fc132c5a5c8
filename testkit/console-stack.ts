// For integration tests of the admin console's functions and route handlers: the test world, the
// app's configuration pointed at it, and a fresh in-memory database installed as the app's.
import { startTestApp, type TestApp } from "@/testkit/test-app";

export type TestEnv = Pick<TestApp, "world" | "tokenFor" | "close">;

/** `env` adds to (or overrides) the test configuration, e.g. a short SESSION_ROLES_REFRESH_SECONDS. */
export function startTestEnv(opts: { env?: Record<string, string> } = {}): Promise<TestEnv> {
  return startTestApp({ appUrl: "http://localhost:3999", env: opts.env });
}
