// Reads a V8 .cpuprofile and lists the functions with the most self time: overall, and in this
// project's own files (the gateway's hot path), to say where a call's time goes.
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  /** Share of all sampled time, idle excluded. */
  percent: number;
}

const IDLE = new Set(["(idle)", "(program)"]);

export function hotFunctions(file: string, limit = 20): { total: HotFunction[]; project: HotFunction[]; busyMs: number } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number; project: boolean }>();
  let busyUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (!node || IDLE.has(node.callFrame.functionName)) continue;
    busyUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : "";
    const key = `${functionName}@${where}`;
    const entry = self.get(key) ?? { name: functionName || "(anonymous)", where, us: 0, project: isProject(url) };
    entry.us += us;
    self.set(key, entry);
  }
  const ranked = [...self.values()].sort((a, b) => b.us - a.us);
  const toHot = (e: (typeof ranked)[number]): HotFunction => ({
    name: e.name,
    where: e.where,
    selfMs: e.us / 1000,
    percent: (100 * e.us) / busyUs,
  });
  return {
    total: ranked.slice(0, limit).map(toHot),
    project: ranked
      .filter((e) => e.project)
      .slice(0, limit)
      .map(toHot),
    busyMs: busyUs / 1000,
  };
}

function shorten(url: string): string {
  const file = url.replace(/^file:\/\//, "");
  const nm = file.lastIndexOf("node_modules/");
  if (nm >= 0) return file.slice(nm + "node_modules/".length);
  return path.relative(process.cwd(), file) || file;
}

function isProject(url: string): boolean {
  if (!url.startsWith("file://") || url.includes("/node_modules/") || url.includes("/.next/")) return false;
  const rel = path.relative(process.cwd(), url.replace(/^file:\/\//, ""));
  return !rel.startsWith("..");
}

export function hotFunctionsTable(hot: HotFunction[]): string {
  const rows = hot.map((h) => `| ${h.percent.toFixed(1)} % | ${h.selfMs.toFixed(0)} | \`${h.name}\` | ${h.where} |`);
  return ["| self % | self ms | function | where |", "| ---: | ---: | --- | --- |", ...rows].join("\n");
}
