// The report's charts, drawn by Vega-Lite into SVG files next to the Markdown that embeds them:
// latency and throughput against concurrency (direct beside the gateway, per mode), and cost against
// scale (backends, users).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { CallCell } from "@/bench/scenarios/calls";
import type { ScaleResult } from "@/bench/scenarios/scale";

export interface Chart {
  title: string;
  file: string;
}

type Row = Record<string, string | number>;

const lineChart = (o: {
  title: string;
  rows: Row[];
  x: string;
  y: string;
  yTitle?: string;
  color?: string;
  facet?: string;
  logX?: boolean;
}): TopLevelSpec =>
  ({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: o.title,
    data: { values: o.rows },
    ...(o.facet ? { facet: { field: o.facet, type: "nominal", title: null }, columns: 3 } : {}),
    ...(o.facet
      ? {
          spec: {
            width: 220,
            height: 150,
            mark: { type: "line", point: true },
            encoding: encoding(o),
          },
        }
      : { width: 420, height: 220, mark: { type: "line", point: true }, encoding: encoding(o) }),
  }) as unknown as TopLevelSpec;

function encoding(o: { x: string; y: string; yTitle?: string; color?: string; logX?: boolean }) {
  return {
    x: { field: o.x, type: "quantitative", ...(o.logX ? { scale: { type: "log" } } : {}) },
    y: { field: o.y, type: "quantitative", scale: { zero: true }, title: o.yTitle ?? o.y },
    ...(o.color ? { color: { field: o.color, type: "nominal", title: null } } : {}),
  };
}

async function svg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const out = await view.toSVG();
  view.finalize();
  return out;
}

/** Writes the charts into `dir` (named `<stem>-<chart>.svg`) and returns them for the report. */
export async function writeCharts(dir: string, stem: string, calls: CallCell[], scale?: ScaleResult): Promise<Chart[]> {
  mkdirSync(dir, { recursive: true });
  const specs: { name: string; title: string; spec: TopLevelSpec }[] = [];
  const latency = calls.flatMap((c) => [
    { mode: c.mode, concurrency: c.concurrency, side: "direct", "p50 (ms)": c.direct.p50Us / 1000, "calls/s": c.direct.throughput },
    { mode: c.mode, concurrency: c.concurrency, side: "gateway", "p50 (ms)": c.gateway.p50Us / 1000, "calls/s": c.gateway.throughput },
  ]);
  specs.push({
    name: "latency",
    title: "tools/call p50 latency vs concurrency, direct and through the gateway",
    spec: lineChart({
      title: "p50 latency (ms) vs concurrency",
      rows: latency,
      x: "concurrency",
      y: "p50 (ms)",
      color: "side",
      facet: "mode",
      logX: true,
    }),
  });
  specs.push({
    name: "throughput",
    title: "tools/call throughput vs concurrency, direct and through the gateway",
    spec: lineChart({
      title: "calls/s vs concurrency",
      rows: latency,
      x: "concurrency",
      y: "calls/s",
      color: "side",
      facet: "mode",
      logX: true,
    }),
  });
  if (scale) {
    const perBackends = scale.calls.flatMap((c) => [
      { backends: c.backends, measure: "added p50 (µs)", value: c.addedP50Us },
      { backends: c.backends, measure: "added p99 (µs)", value: c.addedP99Us },
      { backends: c.backends, measure: "app CPU per call (µs)", value: c.appCpuUs },
    ]);
    specs.push({
      name: "scale-backends",
      title: "Cost per tools/call vs number of backends",
      spec: lineChart({
        title: "µs per call vs backends",
        rows: perBackends,
        x: "backends",
        y: "value",
        yTitle: "µs per call",
        color: "measure",
        logX: true,
      }),
    });
    specs.push({
      name: "scale-lists",
      title: "Cached tools/list p50 vs number of backends",
      spec: lineChart({
        title: "cached tools/list p50 (ms) vs backends",
        rows: scale.lists.map((l) => ({ backends: l.backends, "p50 (ms)": l.p50Us / 1000 })),
        x: "backends",
        y: "p50 (ms)",
      }),
    });
    specs.push({
      name: "scale-users",
      title: "App RSS vs distinct users with cached credentials",
      spec: lineChart({
        title: "RSS (MB) vs users",
        rows: scale.users.map((u) => ({ users: u.users, "RSS (MB)": u.rssMb })),
        x: "users",
        y: "RSS (MB)",
        logX: true,
      }),
    });
  }
  const charts: Chart[] = [];
  for (const s of specs) {
    const file = `${stem}-${s.name}.svg`;
    writeFileSync(path.join(dir, file), await svg(s.spec));
    charts.push({ title: s.title, file });
  }
  return charts;
}
