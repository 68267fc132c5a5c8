// The app's process as /proc sees it: memory and CPU time. Started as `tsx server.ts` (the CLI), the
// server runs in a child of the launcher; started as `node --import tsx server.ts`, in the process itself.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessMemory {
  pid: number;
  /** Peak resident set size (VmHWM), MB. */
  peakRssMb: number;
  /** Resident set size now (VmRSS), MB. */
  rssMb: number;
}

/** The process running server.ts under the launcher `pid` (the launcher itself when it runs it). */
export function serverPid(launcherPid: number): number {
  const children = readdirSync(`/proc/${launcherPid}/task`).flatMap((task) => {
    try {
      return readFileSync(`/proc/${launcherPid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
  const runsServer = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8")
        .split("\0")
        .some((arg) => arg.endsWith("server.ts"));
    } catch {
      return false;
    }
  };
  return children.find(runsServer) ?? launcherPid;
}

export function memoryOf(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { pid, peakRssMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
}

/** CPU time (user + system) the process has used so far, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** USER_HZ: 100 on Linux for every architecture Node runs on. */
const CLOCK_TICKS = 100;
