/** Reading Prometheus text exposition in tests: one series' value, whatever the label order. */

/**
 * The value of the series `name` whose labels include `labels` (others may be present), or
 * undefined when there is none. When several match, the first; pass enough labels.
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** Every label set of the series `name`, for asserting what labels a metric may carry. */
export function metricLabelSets(text: string, name: string): Record<string, string>[] {
  const sets: Record<string, string>[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} \S+$/.exec(line);
    if (match?.[1] === name) sets.push(Object.fromEntries([...match[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!])));
  }
  return sets;
}
