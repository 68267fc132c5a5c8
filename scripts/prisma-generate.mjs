// Runs `prisma generate` offline. The Prisma 7 CLI fetches its schema engine on every command and
// fails without network, yet `generate` never uses it: point it at a no-op program instead.
import { spawnSync } from "node:child_process";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true" };
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
