// What every entry point does before serving: validate configuration, load the keyring, apply
// pending migrations. Runs once per process however many entry points ask.
import { getKeyring } from "@/lib/crypto/keyring";
import { getDatabase, migrate } from "@/lib/db";
import { ConfigError, env } from "@/lib/env";
import { log } from "@/lib/log";
import { startRevocationSweep } from "@/lib/revocations/run-revocations";
import { singleton } from "@/lib/singleton";

const REVOCATION_SWEEP_MS = 5_000;

export function startUp(): Promise<void> {
  return singleton("startUp", () => run());
}

async function run(): Promise<void> {
  try {
    env();
    getKeyring();
    const { applied } = await migrate(getDatabase());
    if (applied.length) log.info({ applied }, "applied database migrations");
    // Revocations owed to providers (unlink, provider deletion), retried by whichever replica holds the lock.
    startRevocationSweep(REVOCATION_SWEEP_MS);
  } catch (e) {
    if (e instanceof ConfigError) {
      // One clear line, then stop: a misconfigured gateway must not half-start.
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
