// The run's results as JSON (everything, per run) and as a Markdown report (medians and goals).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ProcessMemory } from "@/bench/app-process";
import type { Chart } from "@/bench/charts";
import { fmtMs, pct, signed, type Goal } from "@/bench/goals";
import type { Machine } from "@/bench/machine";
import type { BenchOptions } from "@/bench/options";
import type { CallCell } from "@/bench/scenarios/calls";
import type { ListResult } from "@/bench/scenarios/lists";
import type { ScaleResult } from "@/bench/scenarios/scale";
import type { StormResult } from "@/bench/scenarios/storm";

export interface BenchSetup {
  database: "pglite" | "postgres";
  /** BENCH_APP_NODE_OPTIONS: set for experiments, whose numbers never become latest.*. */
  appNodeOptions?: string;
  profiled: boolean;
  /** Traces exported by the app to the bench's OTLP sink during the run (--tracing). */
  tracing?: { exports: number; bytes: number };
}

export interface BenchResults {
  startedAt: string;
  durationS: number;
  machine: Machine;
  options: BenchOptions;
  build: "built" | "reused";
  setup: BenchSetup;
  calls: CallCell[];
  lists: ListResult;
  storm: StormResult;
  /** With --scale: cost as backends and users grow. */
  scale?: ScaleResult;
  /** `launcher`: a \`tsx\` CLI process in front of the server, when the app was started that way. */
  memory: { server: ProcessMemory; launcher?: ProcessMemory; firstStartPeakRssMb: number };
  goals: Goal[];
  /** SVG files in charts/ next to the report. */
  charts: Chart[];
}

export function writeResults(results: BenchResults, dir: string, name: { latest: boolean }): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, "-");
  const md = markdown(results);
  const json = JSON.stringify(results, null, 1);
  const files = [path.join(dir, `${stamp}.md`), path.join(dir, `${stamp}.json`)];
  if (name.latest) files.push(path.join(dir, "latest.md"), path.join(dir, "latest.json"));
  for (const f of files) writeFileSync(f, f.endsWith(".md") ? md : json);
  return files;
}

export function markdown(r: BenchResults): string {
  const m = r.machine;
  const o = r.options;
  const lines = [
    `# Gatehouse benchmark — ${r.startedAt.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, commit ${m.commit}${m.dirty ? " (with uncommitted changes)" : ""}. ` +
      `Load average ${m.loadAverageStart.join(" / ")} at the start and ${m.loadAverageEnd.join(" / ")} at the end: ` +
      "the machine is shared, so absolute numbers are noisy; each pair runs back to back so ratios share conditions.",
    "",
    `Per pair: ${o.runs} run(s) each way, alternating; c=1 is ${o.sequential} sequential calls on one keep-alive connection (hrtime per call), ` +
      `c=16/64 is autocannon for ${o.seconds} s on that many keep-alive connections. Numbers are medians over the runs. ` +
      `The backends (in the bench process), the load generator and the app (\`server.ts\`, production build, ${r.setup.database === "postgres" ? "on PostgreSQL" : "on its embedded PGlite database"}) ` +
      `are three processes. Run took ${r.durationS.toFixed(0)} s.` +
      (r.setup.appNodeOptions ? ` **Experiment:** the app ran with NODE_OPTIONS \`${r.setup.appNodeOptions}\`.` : "") +
      (r.setup.profiled ? " **Profiled:** the app ran under the CPU profiler." : "") +
      (r.setup.tracing
        ? ` **Tracing on:** every request traced and exported to a local OTLP sink (${r.setup.tracing.exports} exports, ${(r.setup.tracing.bytes / 1e6).toFixed(1)} MB).`
        : ""),
    "",
    "## Goals",
    "",
    "| goal | measured | met |",
    "| --- | --- | --- |",
    ...r.goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.met ? "yes" : "**no**"} |`),
    "",
    "## tools/call: direct vs through /api/mcp",
    "",
    "| mode (direct → gateway tool) | c | p50 direct | p50 gateway | added p50 | p90 direct | p90 gateway | p99 direct | p99 gateway | added p99 | calls/s direct | calls/s gateway | gateway/direct | app CPU per gateway call | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...r.calls.map(
      (c) =>
        `| ${c.mode} (\`${c.tools.direct}\` → \`${c.tools.gateway}\`) | ${c.concurrency} | ${fmtMs(c.direct.p50Us)} | ${fmtMs(c.gateway.p50Us)} | ${signed(c.addedP50Us)} | ` +
        `${fmtMs(c.direct.p90Us)} | ${fmtMs(c.gateway.p90Us)} | ${fmtMs(c.direct.p99Us)} | ${fmtMs(c.gateway.p99Us)} | ${signed(c.addedP99Us)} | ` +
        `${c.direct.throughput.toFixed(0)} | ${c.gateway.throughput.toFixed(0)} | ${pct(c.throughputRatio)} | ${fmtMs(c.gateway.appCpuUs)} | ${c.direct.errors + c.gateway.errors} |`,
    ),
    "",
    `## tools/list through the gateway (${r.lists.backends} backends, ${r.lists.tools} tools)`,
    "",
    "| | samples | p50 | p90 | p99 | max |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    `| cold (after every backend changed) | ${r.lists.cold.count} | ${fmtMs(r.lists.cold.p50)} | ${fmtMs(r.lists.cold.p90)} | ${fmtMs(r.lists.cold.p99)} | ${fmtMs(r.lists.cold.max)} |`,
    `| cached | ${r.lists.cached.count} | ${fmtMs(r.lists.cached.p50)} | ${fmtMs(r.lists.cached.p90)} | ${fmtMs(r.lists.cached.p99)} | ${fmtMs(r.lists.cached.max)} |`,
    "",
    "## Refresh storm",
    "",
    `${r.storm.calls} concurrent \`gitlab_get_current_user\` calls as alice, fired when her cached GitLab token had at most ${r.storm.tokenLifeLeftS.toFixed(0)} s left ` +
      `(inside the broker's 120 s refresh-ahead window): **${r.storm.refreshes} refresh(es)** at GitLab ` +
      `(${r.storm.refreshesBefore} while warming, ${r.storm.refreshesAfter} after), ${r.storm.ok} succeeded, ${r.storm.errors} errors` +
      `${r.storm.errorSample ? ` (first: ${r.storm.errorSample})` : ""}. The whole storm took ${fmtMs(r.storm.elapsedMs * 1000)}.`,
    "",
    "| p50 | p90 | p99 | min | max |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${fmtMs(r.storm.latency.p50)} | ${fmtMs(r.storm.latency.p90)} | ${fmtMs(r.storm.latency.p99)} | ${fmtMs(r.storm.latency.min)} | ${fmtMs(r.storm.latency.max)} |`,
    "",
    "## Memory",
    "",
    `The server process (pid ${r.memory.server.pid}): first start on an empty data folder peaked at **${r.memory.firstStartPeakRssMb.toFixed(0)} MB**; ` +
      `peak RSS (VmHWM) under the benchmark **${r.memory.server.peakRssMb.toFixed(0)} MB**, ${r.memory.server.rssMb.toFixed(0)} MB at the end.` +
      (r.memory.launcher
        ? ` The \`tsx\` launcher in front of it (pid ${r.memory.launcher.pid}): peak ${r.memory.launcher.peakRssMb.toFixed(0)} MB.`
        : ""),
    "",
  ];
  if (r.scale) lines.push(...scaleSection(r.scale));
  if (r.charts.length) lines.push("## Charts", "", ...r.charts.flatMap((c) => [`![${c.title}](charts/${c.file})`, ""]));
  const errors = r.calls.filter((c) => c.direct.errorSample || c.gateway.errorSample);
  if (errors.length) {
    lines.push(
      "## Errors",
      "",
      ...errors.map((c) => `- ${c.mode} c=${c.concurrency}: ${c.direct.errorSample ?? c.gateway.errorSample}`),
      "",
    );
  }
  return lines.join("\n");
}

function scaleSection(s: ScaleResult): string[] {
  return [
    "## Scale",
    "",
    "tools/call (`utils_echo`, none mode) at c=1 with more backends enabled:",
    "",
    "| backends | p50 direct | p50 gateway | added p50 | added p99 | app CPU per call | errors |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...s.calls.map(
      (c) =>
        `| ${c.backends} | ${fmtMs(c.directP50Us)} | ${fmtMs(c.gatewayP50Us)} | ${signed(c.addedP50Us)} | ${signed(c.addedP99Us)} | ${fmtMs(c.appCpuUs)} | ${c.errors} |`,
    ),
    "",
    "Cached tools/list:",
    "",
    "| backends | tools | p50 | p99 | errors |",
    "| ---: | ---: | ---: | ---: | ---: |",
    ...s.lists.map((l) => `| ${l.backends} | ${l.tools} | ${fmtMs(l.p50Us)} | ${fmtMs(l.p99Us)} | ${l.errors} |`),
    "",
    "The app's RSS after that many distinct users each called a token-exchange backend (their tokens, user rows and exchanged tokens cached):",
    "",
    "| users | RSS | time to add them | errors |",
    "| ---: | ---: | ---: | ---: |",
    ...s.users.map((u) => `| ${u.users.toLocaleString("en")} | ${u.rssMb.toFixed(0)} MB | ${u.elapsedS.toFixed(0)} s | ${u.errors} |`),
    "",
    ...(s.replicaStorm
      ? [
          `Refresh storm across ${s.replicaStorm.replicas} replicas on PostgreSQL: ${s.replicaStorm.calls} calls split between two app processes, ` +
            `fired with at most ${s.replicaStorm.tokenLifeLeftS.toFixed(0)} s of token life left: **${s.replicaStorm.refreshes} refresh(es)** at GitLab ` +
            `(${s.replicaStorm.refreshesBefore} while warming, ${s.replicaStorm.refreshesAfter} after), ${s.replicaStorm.ok} succeeded, ${s.replicaStorm.errors} errors` +
            `${s.replicaStorm.errorSample ? ` (first: ${s.replicaStorm.errorSample})` : ""}; p50 ${fmtMs(s.replicaStorm.latency.p50)}, max ${fmtMs(s.replicaStorm.latency.max)}.`,
          "",
        ]
      : ["The two-replica refresh storm runs only on PostgreSQL (BENCH_DATABASE_URL).", ""]),
  ];
}
