// The per-call counters and histograms expose what prom-client's own would: cumulative buckets,
// +Inf, _sum and _count per label set, parsed by a Prometheus text-format parser.
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { LeanCounter, LeanHistogram } from "@/lib/metrics/lean-metrics";

describe("[observe] lean metrics", () => {
  it("an operator reads cumulative buckets, sums and counts per label set, and counters per label set", async () => {
    const registry = new Registry();
    const h = new LeanHistogram({ name: "t_seconds", help: "h", labelNames: ["backend"], buckets: [0.1, 1], registry });
    const c = new LeanCounter({ name: "t_total", help: "c", labelNames: ["backend", "outcome"], registry });
    const a = h.labels("a");
    for (const v of [0.05, 0.5, 0.7, 3]) a.observe(v);
    h.labels("b").observe(0.1);
    expect(h.labels("a")).toBe(a); // bound once
    c.labels("a", "success").inc();
    c.labels("a", "success").inc(2);
    c.labels("a", "error").inc();

    const text = await registry.metrics();
    expect(text).toContain('t_seconds_bucket{backend="a",le="0.1"} 1');
    expect(text).toContain('t_seconds_bucket{backend="a",le="1"} 3');
    expect(text).toContain('t_seconds_bucket{backend="a",le="+Inf"} 4');
    expect(text).toContain('t_seconds_count{backend="a"} 4');
    expect(text).toContain('t_seconds_sum{backend="a"} 4.25');
    expect(text).toContain('t_seconds_bucket{backend="b",le="0.1"} 1'); // a bound is inclusive
    const counter = parsePrometheusTextFormat(text).find((f) => f.name === "t_total")!;
    expect(counter.type).toBe("COUNTER");
    expect(counter.metrics).toEqual([
      { labels: { backend: "a", outcome: "success" }, value: "3" },
      { labels: { backend: "a", outcome: "error" }, value: "1" },
    ]);
  });

  it("a second metric with a taken name is refused, as prom-client refuses it", () => {
    const registry = new Registry();
    new LeanCounter({ name: "dup_total", help: "c", labelNames: [], registry });
    expect(() => new LeanCounter({ name: "dup_total", help: "c", labelNames: [], registry })).toThrow(/already been registered/);
  });
});
