import type { Registry } from 'prom-client';

/** A prom-client metric as `getMetricsAsJSON` gives it (structured-cloneable, so it crosses threads). */
export interface MetricJson {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator?: string;
  readonly values: readonly { value: number; labels?: Record<string, string | number>; metricName?: string }[];
}

/** A registry's metrics with their current values, to send to another thread. */
export async function metricsJson(registry: Registry): Promise<MetricJson[]> {
  return (await registry.getMetricsAsJSON()) as unknown as MetricJson[];
}

/**
 * Shows metrics that live in another thread's registry on `registry`: each is registered by name
 * and, when scraped, read from one fresh snapshot of the thread's registry (one request per scrape,
 * shared by every metric read in the same 50 ms).
 */
export function mirrorThreadMetrics(
  registry: Registry,
  metrics: readonly MetricJson[],
  snapshot: () => Promise<readonly MetricJson[]>,
): void {
  let current: { at: number; values: Promise<Map<string, MetricJson>> } | undefined;
  const read = (): Promise<Map<string, MetricJson>> => {
    const now = Date.now();
    if (!current || now - current.at > 50) {
      current = { at: now, values: snapshot().then((all) => new Map(all.map((m) => [m.name, m]))) };
    }
    return current.values;
  };
  for (const m of metrics) {
    const { name, help, type } = m;
    const aggregator = m.aggregator ?? 'sum';
    // prom-client reads registered metrics only through name, help, type, aggregator and get().
    registry.registerMetric({
      name, help, type, aggregator,
      get: async () => ({ name, help, type, aggregator, values: (await read()).get(name)?.values ?? [] }),
      reset: () => undefined,
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }
}
