// Writes the fault suite's results: bench/results/faults.json (everything measured) and faults.md
// (one table per phase: each figure, its goal, met or NOT met, and the load's calls and failures).
import { mkdirSync, writeFileSync } from "node:fs";
import { verdictOf, type PhaseResult } from "@/bench/faults/figures";

export interface FaultReport {
  at: string;
  short: boolean;
  machine: { cpus: number; loadAverage: number[] };
  load: { callsPerSecond: number; clients: number; replicas: number };
  phases: PhaseResult[];
}

export function allMet(report: FaultReport): boolean {
  return report.phases.every((p) => p.figures.every((f) => f.met !== false));
}

export function writeReport(report: FaultReport): void {
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/faults.json", JSON.stringify(report, null, 2) + "\n");
  const lines = [
    "# Fault suite",
    "",
    `${report.at}${report.short ? " (short form)" : ""}: ${report.load.replicas} replicas on a private PostgreSQL behind a round-robin proxy, ` +
      `${report.load.clients} MCP clients (SDK v1) as alice at ${report.load.callsPerSecond} calls/s (GitLab-like linked backend and the open one in turn). ` +
      `Machine: ${report.machine.cpus} CPUs, load average ${report.machine.loadAverage.map((x) => x.toFixed(2)).join(" / ")} at the start.`,
    "",
  ];
  for (const p of report.phases) {
    lines.push(`## ${p.phase}`, "", "| figure | value | goal | |", "|---|---|---|---|");
    for (const f of p.figures) lines.push(`| ${f.what} | ${f.value} | ${f.goal} | ${f.met === false ? "**NOT met**" : verdictOf(f)} |`);
    lines.push("", `Load during the phase: ${p.load.calls} calls, ${p.load.ok} ok, ${p.load.failed} failed.`);
    for (const f of p.load.failures) lines.push(`- ${f.count} × ${f.kind}: \`${f.message.replace(/`/g, "'")}\``);
    for (const n of p.notes ?? []) lines.push(`- ${n}`);
    lines.push("");
  }
  writeFileSync("bench/results/faults.md", lines.join("\n"));
}
