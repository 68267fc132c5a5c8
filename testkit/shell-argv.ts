// For tests that run the commands the portal shows: the words a POSIX shell (bash) makes of a
// command line, with its variables expanded from `env`, exactly as a person's terminal would.
import { execFileSync } from "node:child_process";

export function shellArgv(command: string, env: Record<string, string> = {}): string[] {
  const out = execFileSync("bash", ["-c", `set -- ${command}\nprintf '%s\\0' "$@"`], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env, NODE_ENV: "test" },
    encoding: "utf8",
  });
  return out.split("\0").slice(0, -1);
}
