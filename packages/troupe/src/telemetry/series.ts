// Counters and histograms for the hot paths (every action, commit, message, request): each label
// set's series is found once by its values and then updated in place, where prom-client checks,
// hashes and copies the labels at every call (about two microseconds per histogram observation).
// They are metrics a prom-client Registry serves like its own: it reads them through `get()`.

import type * as Prom from "prom-client";

interface MetricConfig<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: readonly Prom.Registry[];
}

type Labels<L extends string> = Readonly<Record<L, string>>;

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** The series of one metric, by the values of its labels (in labelNames order). */
abstract class LabelledMetric<L extends string, S> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = "sum";
  abstract readonly type: "counter" | "histogram";
  readonly #labelNames: readonly L[];
  #series = new Map<string, { labels: Labels<L>; series: S }>();

  constructor(config: MetricConfig<L>) {
    this.name = config.name;
    this.help = config.help;
    this.#labelNames = config.labelNames;
    for (const registry of config.registers) registry.registerMetric(this as unknown as Prom.Metric);
  }

  protected abstract create(): S;
  protected abstract samples(labels: Labels<L>, series: S): Sample[];

  /** The series of `labels`, created on first use. */
  protected seriesOf(labels: Labels<L>): S {
    let key = "";
    for (const name of this.#labelNames) key += `${labels[name]}\u0000`;
    let entry = this.#series.get(key);
    if (entry === undefined) {
      entry = { labels: { ...labels }, series: this.create() };
      this.#series.set(key, entry);
    }
    return entry.series;
  }

  /** What the registry serves (prom-client's `get()` shape). */
  get(): { name: string; help: string; type: string; aggregator: string; values: Sample[] } {
    const values: Sample[] = [];
    for (const { labels, series } of this.#series.values()) values.push(...this.samples(labels, series));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.#series = new Map();
  }
}

export class FastCounter<L extends string> extends LabelledMetric<L, { value: number }> {
  readonly type = "counter";

  inc(labels: Labels<L>, by = 1): void {
    this.seriesOf(labels).value += by;
  }

  protected create(): { value: number } {
    return { value: 0 };
  }

  protected samples(labels: Labels<L>, series: { value: number }): Sample[] {
    return [{ labels, value: series.value }];
  }
}

interface Buckets {
  /** Observations per bucket: counts[i] for values up to bounds[i] (and above the one before); the last is above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

export class FastHistogram<L extends string> extends LabelledMetric<L, Buckets> {
  readonly type = "histogram";
  readonly #bounds: readonly number[];

  constructor(config: MetricConfig<L> & { buckets: readonly number[] }) {
    super(config);
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels<L>, value: number): void {
    const series = this.seriesOf(labels);
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    (series.counts[i] as number)++;
    series.sum += value;
    series.count++;
  }

  protected create(): Buckets {
    return { counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
  }

  protected samples(labels: Labels<L>, series: Buckets): Sample[] {
    const samples: Sample[] = [];
    let cumulative = 0;
    this.#bounds.forEach((bound, i) => {
      cumulative += series.counts[i] as number;
      samples.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
    });
    samples.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: "+Inf" }, value: series.count });
    samples.push({ metricName: `${this.name}_sum`, labels, value: series.sum });
    samples.push({ metricName: `${this.name}_count`, labels, value: series.count });
    return samples;
  }
}
