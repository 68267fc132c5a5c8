// What every entry point does before serving: validate configuration, load the keyring, apply
// pending migrations. Runs once per process however many entry points ask.
import { ConfigError, env } from "./env";
import { getKeyring } from "./crypto/keyring";
import { getDatabase, migrate } from "./db";
import { log } from "./log";
import { singleton } from "./singleton";

export function startUp(): Promise<void> {
  return singleton("startUp", () => run());
}

async function run(): Promise<void> {
  try {
    env();
    getKeyring();
    const { applied } = await migrate(getDatabase());
    if (applied.length) log.info({ applied }, "applied database migrations");
  } catch (e) {
    if (e instanceof ConfigError) {
      // One clear line, then stop: a misconfigured gateway must not half-start.
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
