// `next build` before the run, unless --no-build and a build is already there.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export async function buildApp(opts: { build: boolean }): Promise<"built" | "reused"> {
  if (!opts.build && existsSync(".next/BUILD_ID")) return "reused";
  if (!opts.build) console.log("[bench] --no-build, but there is no .next/BUILD_ID: building");
  const next = path.resolve("node_modules/next/dist/bin/next");
  const child = spawn(process.execPath, [next, "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("exit", resolve);
    child.once("error", reject);
  });
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  return "built";
}
