// What the demo and the e2e suite start with: providers and backends pointing at the test world.
// Runs in the launching process before the app starts, against the app's own database and keys.
import { seedBackends } from "@/e2e/seed-backends";
import { seedProviders } from "@/e2e/seed-providers";
import type { World } from "@/e2e/world";
import { closeDb, getDatabase, migrate } from "@/lib/db";
import { setEnvForTests } from "@/lib/env";

export async function seedStack(world: World, appEnv: Record<string, string>): Promise<void> {
  setEnvForTests(appEnv);
  try {
    await migrate(getDatabase());
    const providers = await seedProviders(world);
    await seedBackends(world, providers);
  } finally {
    await closeDb();
  }
}
