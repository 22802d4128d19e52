import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ReportError, type Translate } from './errors';
import { escapeMarkdownInline as esc, formatExactDuration, formatReportTime, parseExactDuration, parseReportTime } from './format';
import { escapeProse, mdTable, parseMarkdown, splitSections, tableRows, unescapeProse } from './markdown';
import { ACTION_TYPES, MARKERS, postmortemSchema, type Postmortem } from './postmortem';

/** Prose fields in document order; each is one H2 section. */
export const PROSE_FIELDS = ['summary', 'impact', 'detection', 'response', 'recovery', 'trigger', 'rootCause', 'contributingFactors', 'resolution'] as const;
const LESSONS = ['wentWell', 'wentWrong', 'gotLucky'] as const;
const METRICS = ['timeToDetect', 'timeToAcknowledge', 'timeToMitigate', 'timeToResolve'] as const;
const FRONT_KEYS = ['schemaVersion', 'id', 'incidentId', 'title', 'date', 'authors', 'owner', 'severity', 'status', 'timeZone', 'reviewDueBy', 'createdAt', 'updatedAt'] as const;

const field = (t: Translate, f: string) => t(`reports.postmortem.fields.${f}`);

/**
 * The postmortem as GFM: YAML front matter with the record fields, then one section per field,
 * tables for action items, metrics, timeline and runbook steps. `postmortemFromMarkdown` reads it back.
 */
export function postmortemToMarkdown(pm: Postmortem, t: Translate): string {
  const zone = pm.timeZone;
  const front: Record<string, unknown> = {};
  for (const k of FRONT_KEYS) front[k] = pm[k];
  const parts: string[] = [`---\n${stringifyYaml(front).trimEnd()}\n---`, `# ${esc(pm.title)}`];
  parts.push(
    mdTable(
      [esc(field(t, 'field')), esc(field(t, 'value'))],
      [
        [field(t, 'severity'), pm.severity],
        [field(t, 'status'), t(`reports.status.${pm.status}`)],
        [field(t, 'date'), pm.date],
        [field(t, 'authors'), pm.authors.join(', ')],
        [field(t, 'owner'), pm.owner],
        [field(t, 'reviewDueBy'), pm.reviewDueBy],
      ].map(([a, b]) => [esc(a!), esc(b!)]),
    ),
  );
  parts.push(`> ${esc(t('reports.postmortem.blameless'))}`);
  for (const f of PROSE_FIELDS) parts.push(`## ${field(t, f)}`, escapeProse(pm[f]));
  parts.push(`## ${field(t, 'actionItems')}`);
  parts.push(
    mdTable(
      ['item', 'type', 'owner', 'due', 'ticket'].map((h) => esc(t(`reports.postmortem.actionColumns.${h}`))),
      pm.actionItems.map((a) => [esc(a.item), esc(t(`reports.actionType.${a.type}`)), esc(a.owner), a.due ?? '', esc(a.ticket ?? '')]),
    ),
  );
  parts.push(`## ${field(t, 'lessons')}`);
  for (const l of LESSONS) parts.push(`### ${t(`reports.postmortem.lessons.${l}`)}`, escapeProse(pm.lessons[l]));
  parts.push(`## ${field(t, 'metrics')}`);
  parts.push(
    mdTable(
      [esc(field(t, 'metric')), esc(field(t, 'value'))],
      METRICS.map((m) => [esc(t(`incidents.metrics.${m}`)), pm.metrics[m] === null ? '—' : formatExactDuration(pm.metrics[m]!)]),
    ),
  );
  parts.push(`## ${field(t, 'timeline')}`);
  parts.push(
    mdTable(
      ['time', 'who', 'event'].map((h) => esc(t(`reports.postmortem.timelineColumns.${h}`))),
      pm.timeline.map((e) => [formatReportTime(e.at, zone), esc(e.by), e.marker ? `**${esc(e.text)}**` : esc(e.text)]),
    ),
  );
  parts.push(`## ${field(t, 'runbookSteps')}`);
  parts.push(
    mdTable(
      ['time', 'who', 'runbook', 'step', 'result', 'note'].map((h) => esc(t(`reports.postmortem.stepColumns.${h}`))),
      pm.runbookSteps.map((s) => [formatReportTime(s.at, zone), esc(s.by), esc(s.runbook), esc(s.step), esc(t(`reports.stepResult.${s.result}`)), esc(s.note ?? '')]),
    ),
  );
  return `${parts.join('\n\n')}\n`;
}

function reverse(t: Translate, prefix: string, values: readonly string[]): Map<string, string> {
  return new Map(values.map((v) => [t(`${prefix}.${v}`), v]));
}

/**
 * Reads back a postmortem written by `postmortemToMarkdown` (in the same language), after the
 * engineer edited it in any Markdown editor. Fails with the field that does not fit.
 */
export function postmortemFromMarkdown(text: string, t: Translate): Postmortem {
  const root = parseMarkdown(text);
  const yamlNode = root.children[0]?.type === 'yaml' ? (root.children[0] as { value: string }) : null;
  if (!yamlNode) throw new ReportError('markdownInvalid', { field: 'front matter' });
  let front: Record<string, unknown>;
  try {
    front = (parseYaml(yamlNode.value) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new ReportError('markdownInvalid', { field: 'front matter', reason: (err as Error).message.split('\n')[0] ?? '' });
  }
  const h2 = new Map(splitSections(text, root, 2).map((s) => [s.title, s]));
  const section = (f: string) => h2.get(field(t, f));
  const prose = (f: string) => unescapeProse(section(f)?.text ?? '');
  const h3 = new Map(splitSections(text, root, 3).filter((s) => s.depth === 3).map((s) => [s.title, s]));
  const types = reverse(t, 'reports.actionType', ACTION_TYPES);
  const results = reverse(t, 'reports.stepResult', ['done', 'skipped']);
  const markers = reverse(t, 'incidents.markers', MARKERS);
  const time = (s: string, where: string) => {
    const v = parseReportTime(s);
    if (v === null) throw new ReportError('markdownInvalid', { field: where, reason: s });
    return v;
  };
  let seenMarkers = 0;
  const metricRows = new Map(tableRows(section('metrics')?.nodes ?? []).map((r) => [r[0]?.text ?? '', r[1]?.text ?? '']));
  const metrics = Object.fromEntries(METRICS.map((m) => [m, parseExactDuration(metricRows.get(t(`incidents.metrics.${m}`)) ?? '')]));
  const candidate = {
    ...Object.fromEntries(FRONT_KEYS.map((k) => [k, front[k]])),
    ...Object.fromEntries(PROSE_FIELDS.map((f) => [f, prose(f)])),
    actionItems: tableRows(section('actionItems')?.nodes ?? []).map((r) => ({
      item: r[0]?.text ?? '',
      type: types.get(r[1]?.text ?? '') ?? r[1]?.text,
      owner: r[2]?.text ?? '',
      due: r[3]?.text || null,
      ticket: r[4]?.text || null,
    })),
    lessons: Object.fromEntries(LESSONS.map((l) => [l, unescapeProse(h3.get(t(`reports.postmortem.lessons.${l}`))?.text ?? '')])),
    metrics,
    timeline: tableRows(section('timeline')?.nodes ?? []).map((r) => {
      const eventText = r[2]?.text ?? '';
      // Only marker rows are written bold (user text is escaped), so a bold row is a marker even
      // when its text is in another language than the file's; then its order tells which.
      const marker = r[2]?.strong ? (markers.get(eventText) ?? MARKERS[Math.min(seenMarkers, MARKERS.length - 1)]!) : null;
      if (marker) seenMarkers++;
      return { at: time(r[0]?.text ?? '', 'timeline'), by: r[1]?.text ?? '', text: eventText, marker };
    }),
    runbookSteps: tableRows(section('runbookSteps')?.nodes ?? []).map((r) => ({
      at: time(r[0]?.text ?? '', 'runbookSteps'),
      by: r[1]?.text ?? '',
      runbook: r[2]?.text ?? '',
      step: r[3]?.text ?? '',
      result: results.get(r[4]?.text ?? '') ?? r[4]?.text,
      note: r[5]?.text || null,
    })),
  };
  const parsed = postmortemSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportError('markdownInvalid', { field: issue.path.join('.'), reason: issue.message });
  }
  return parsed.data;
}
