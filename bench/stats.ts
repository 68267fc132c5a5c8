// Percentiles and medians. Latencies are kept exactly (one number per call) and read by nearest rank.

export interface LatencySummary {
  count: number;
  /** Microseconds. */
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Summarizes latencies given in microseconds (the array is sorted in place). */
export function summarize(latenciesUs: Float64Array | number[]): LatencySummary {
  const sorted = latenciesUs instanceof Float64Array ? latenciesUs.sort() : Float64Array.from(latenciesUs).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, min: NaN, max: NaN, mean: NaN };
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: n,
    p50: rank(sorted, 0.5),
    p90: rank(sorted, 0.9),
    p99: rank(sorted, 0.99),
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean: sum / n,
  };
}

function rank(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!finite.length) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** A growable list of numbers without boxing each one (a load run records tens of thousands). */
export class Samples {
  private data = new Float64Array(4096);
  private n = 0;

  push(v: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = v;
  }

  get length(): number {
    return this.n;
  }

  values(): Float64Array {
    return this.data.slice(0, this.n);
  }
}
