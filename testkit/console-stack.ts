// For integration tests of the admin console's functions and route handlers: the test world, the
// app's configuration pointed at it, and a fresh in-memory database installed as the app's.
import { startTestApp, type TestApp } from "@/testkit/test-app";

export type TestEnv = Pick<TestApp, "world" | "tokenFor" | "close">;

export function startTestEnv(): Promise<TestEnv> {
  return startTestApp({ appUrl: "http://localhost:3999" });
}
