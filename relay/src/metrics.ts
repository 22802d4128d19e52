/** Counters and gauges in the Prometheus text exposition format; no client library needed for a handful. */
export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly help = new Map<string, { type: 'counter' | 'gauge'; text: string }>();
  private readonly gauges = new Map<string, () => Map<string, number>>();

  /** Declares a counter. */
  counter(name: string, text: string): void {
    this.help.set(name, { type: 'counter', text });
    this.counters.set(name, new Map());
  }

  /** Declares a gauge read at scrape time. */
  gauge(name: string, text: string, read: () => Map<string, number>): void {
    this.help.set(name, { type: 'gauge', text });
    this.gauges.set(name, read);
  }

  /** Adds to a counter with the given labels. */
  inc(name: string, labels: Record<string, string>, by = 1): void {
    const series = this.counters.get(name);
    if (!series) throw new Error(`unknown metric ${name}`);
    const key = labelText(labels);
    series.set(key, (series.get(key) ?? 0) + by);
  }

  /** The current value of one counter series (for tests and the health answer). */
  value(name: string, labels: Record<string, string>): number {
    return this.counters.get(name)?.get(labelText(labels)) ?? 0;
  }

  /** The exposition text. */
  render(): string {
    const lines: string[] = [];
    for (const [name, { type, text }] of this.help) {
      lines.push(`# HELP ${name} ${text}`, `# TYPE ${name} ${type}`);
      const series = type === 'counter' ? this.counters.get(name)! : this.gauges.get(name)!();
      for (const [labels, v] of series) lines.push(`${name}${labels} ${v}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** `{a="1",b="2"}`, or empty for no labels. */
export function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}
