// What the numbers were measured on.
import { execFileSync } from "node:child_process";
import os from "node:os";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  commit: string;
  dirty: boolean;
  loadAverageStart: string[];
  loadAverageEnd: string[];
}

export function describeMachine(): Machine {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "";
    }
  };
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown CPU",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    commit: git("rev-parse", "--short", "HEAD") || "unknown",
    dirty: git("status", "--porcelain").length > 0,
    loadAverageStart: loadAverage(),
    loadAverageEnd: [],
  };
}

export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2));
