// A misconfigured Gatehouse stops before serving, with one line naming the variable.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function start(nodeEnv: "development" | "production", env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, NODE_ENV: nodeEnv },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, lines: r.stderr.split("\n").filter((l) => l.trim() && !l.includes("Unsupported runtime")) };
}

describe("start-up with bad configuration", () => {
  it("a malformed variable: exit 1 and one line naming it", () => {
    const r = start("development", { KEYCLOAK_ISSUER: "not-a-url", KEYCLOAK_CLIENT_ID: "gatehouse", KEYCLOAK_CLIENT_SECRET: "x" });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/^Configuration error: KEYCLOAK_ISSUER must be an absolute URL/)]);
  });

  it("production without keys: exit 1 and one line saying what to set", () => {
    const r = start("production", {
      KEYCLOAK_ISSUER: "https://sso.example.com/realms/a",
      KEYCLOAK_CLIENT_ID: "g",
      KEYCLOAK_CLIENT_SECRET: "x",
    });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual(["Configuration error: GATEHOUSE_KEYS is required in production (see README: Keys)"]);
  });
});
