#!/usr/bin/env node
// The `gatehouse` command (package.json "bin"; `npm run gatehouse -- …`): runs scripts/gatehouse.ts with
// tsx, resolving the project's `@/` imports from its own tsconfig wherever it is called from.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const result = spawnSync(process.execPath, ["--import", "tsx", `${root}scripts/gatehouse.ts`, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TSX_TSCONFIG_PATH: `${root}tsconfig.json` },
});
process.exit(result.status ?? 1);
