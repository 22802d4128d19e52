import type { GroupInfo } from '../../core/pager/live-state';
import type { PageSignal } from '../../core/page';
import { parseSourceConfigs, type CheckedSource } from '../../core/sources/config';
import type { SourcesView } from '../../core/sources/ipc-schemas';
import type { SignalGroup } from '../../core/sources/types';

/** The default source: the Alertmanager webhook at /hooks/alertmanager, page ids `alertmanager:<fp>`. */
export const DEFAULT_SOURCE_ID = 'alertmanager';

/** Parses each entry on its own, so one broken source is refused with its error and the rest run. */
export function checkSources(raw: readonly unknown[]): { sources: CheckedSource[]; broken: SourcesView['broken'] } {
  const sources: CheckedSource[] = [];
  const broken: SourcesView['broken'] = [];
  for (const [index, entry] of raw.entries()) {
    const id = typeof (entry as { id?: unknown } | null)?.id === 'string' ? (entry as { id: string }).id : null;
    const parsed = parseSourceConfigs([entry]);
    if (!parsed.ok) broken.push({ index, id, code: parsed.error.code, params: parsed.error.params });
    else if (sources.some((s) => s.id === parsed.sources[0]!.id)) broken.push({ index, id, code: 'wrongShape', params: { what: 'source list', field: `[${index}].id`, detail: `"${id}" is used twice` } });
    else sources.push(parsed.sources[0]!);
  }
  if (!sources.some((s) => s.id === DEFAULT_SOURCE_ID)) {
    const d = parseSourceConfigs([{ id: DEFAULT_SOURCE_ID, kind: 'alertmanager', name: 'Alertmanager' }]);
    if (d.ok) sources.unshift(d.sources[0]!);
  }
  return { sources, broken };
}

/** The groups a list of signals touches, with the truncation counts a source reported. */
export const groupsOf = (signals: PageSignal[], groups: SignalGroup[] = []): GroupInfo[] => {
  const out = new Map<string, GroupInfo>();
  for (const s of signals) out.set(s.groupKey, { groupKey: s.groupKey, truncatedAlerts: 0 });
  for (const g of groups) out.set(g.groupKey, { groupKey: g.groupKey, truncatedAlerts: g.truncatedAlerts ?? 0 });
  return [...out.values()];
};

