// Counters and histograms for the per-call path. prom-client's own hash the label object on every
// increment (a string built per call); these keep one child per label combination holding plain
// numbers, and turn them into prom-client's exposition shape only when scraped. Registered into a
// prom-client Registry, next to its default metrics.
import type { Metric, Registry } from "prom-client";

type Labels = Record<string, string>;
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

abstract class LeanMetric<Child extends { labels: Labels }> {
  protected readonly children = new Map<string, Child>();
  readonly aggregator = "sum";

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "histogram",
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  /** The child for these label values, created once: keep it, and call it on the hot path. */
  labels(...values: string[]): Child {
    const key = values.join("\u0000");
    let child = this.children.get(key);
    if (!child) {
      const labels: Labels = {};
      this.labelNames.forEach((n, i) => (labels[n] = values[i] ?? ""));
      this.children.set(key, (child = this.create(labels)));
    }
    return child;
  }

  protected abstract create(labels: Labels): Child;
  protected abstract samples(child: Child): Sample[];

  /** What prom-client's Registry formats (its Metric.get() shape). */
  async get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.children.values()].flatMap((c) => this.samples(c)),
    };
  }

  reset(): void {
    this.children.clear();
  }
}

export class CounterChild {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(n = 1): void {
    this.value += n;
  }
}

export class LeanCounter extends LeanMetric<CounterChild> {
  constructor(o: { name: string; help: string; labelNames: readonly string[]; registry: Registry }) {
    super(o.name, o.help, "counter", o.labelNames, o.registry);
  }
  protected create(labels: Labels) {
    return new CounterChild(labels);
  }
  protected samples(c: CounterChild): Sample[] {
    return [{ labels: c.labels, value: c.value }];
  }
}

export class HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }
  observe(v: number): void {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (v <= bounds[i]!) {
        this.counts[i]!++;
        break;
      }
    }
    this.count++;
    this.sum += v;
  }
}

export class LeanHistogram extends LeanMetric<HistogramChild> {
  constructor(o: { name: string; help: string; labelNames: readonly string[]; buckets: readonly number[]; registry: Registry }) {
    super(o.name, o.help, "histogram", o.labelNames, o.registry);
    this.bounds = o.buckets;
  }
  private readonly bounds: readonly number[];
  protected create(labels: Labels) {
    return new HistogramChild(labels, this.bounds);
  }
  protected samples(c: HistogramChild): Sample[] {
    const bucket = `${this.name}_bucket`;
    let cumulative = 0;
    const out: Sample[] = this.bounds.map((le, i) => {
      cumulative += c.counts[i]!;
      return { metricName: bucket, labels: { ...c.labels, le }, value: cumulative };
    });
    out.push(
      { metricName: bucket, labels: { ...c.labels, le: "+Inf" }, value: c.count },
      { metricName: `${this.name}_sum`, labels: c.labels, value: c.sum },
      { metricName: `${this.name}_count`, labels: c.labels, value: c.count },
    );
    return out;
  }
}
