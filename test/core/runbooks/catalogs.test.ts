import { describe, expect, it } from 'vitest';
import incidentsDe from '../../../src/core/i18n/catalogs/incidents.de.json';
import incidentsEn from '../../../src/core/i18n/catalogs/incidents.en.json';
import reportsDe from '../../../src/core/i18n/catalogs/reports.de.json';
import reportsEn from '../../../src/core/i18n/catalogs/reports.en.json';
import runbooksDe from '../../../src/core/i18n/catalogs/runbooks.de.json';
import runbooksEn from '../../../src/core/i18n/catalogs/runbooks.en.json';
import { createI18n } from '../../../src/core/i18n';
import type { IncidentErrorCode } from '../../../src/core/incidents/errors';
import type { IncidentEntryKind } from '../../../src/core/incidents/model';
import type { ReportErrorCode } from '../../../src/core/reports/errors';
import type { RunbookErrorCode } from '../../../src/core/runbooks/errors';
import type { RunbookWarning } from '../../../src/core/runbooks/model';
import type { RunEvent } from '../../../src/core/runbooks/run';

function keys(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

// Listing every code here makes the compiler complain when a code is added without a text.
const runbookErrors: Record<RunbookErrorCode, true> = { tooLarge: true, binary: true, runStepUnknown: true, runFinished: true, runStateInvalid: true, skipNeedsReason: true, noteEmpty: true, recurrenceInvalid: true, urlNotHttps: true, tooDeep: true, notParsedYet: true };
const warnings: Record<RunbookWarning['code'], true> = { frontMatterInvalid: true, frontMatterToml: true, matcherInvalid: true, unclosedFence: true, rawHtml: true, noSteps: true };
const incidentErrors: Record<IncidentErrorCode, true> = { noPages: true, textEmpty: true, titleEmpty: true, unknownStatus: true, outageAfterDetection: true, intervalInvalid: true };
const reportErrors: Record<ReportErrorCode, true> = { jsonInvalid: true, schemaMismatch: true, markdownInvalid: true, windowInvalid: true };
const entryKinds: Record<IncidentEntryKind | RunEvent['kind'], true> = {
  created: true, pageAdded: true, acknowledged: true, statusChanged: true, statusUpdate: true, note: true, severityChanged: true, roleAssigned: true, contributorAdded: true, contributorRemoved: true, runLinked: true, mitigated: true, outageStartSet: true, titleChanged: true,
  runStarted: true, stepStarted: true, stepDone: true, stepSkipped: true, stepReopened: true, stepNote: true, runFinished: true, runAbandoned: true,
};

describe('runbook, incident and report catalogs', () => {
  it('German has exactly the keys English has', () => {
    expect(keys(runbooksDe)).toEqual(keys(runbooksEn));
    expect(keys(incidentsDe)).toEqual(keys(incidentsEn));
    expect(keys(reportsDe)).toEqual(keys(reportsEn));
  });

  it('every error, warning and timeline kind has a text in both languages', () => {
    const wanted = [
      ...Object.keys(runbookErrors).map((c) => `runbooks.errors.${c}`),
      ...Object.keys(warnings).map((c) => `runbooks.warnings.${c}`),
      ...['fetchFailed', 'fetchStatus', 'notMarkdown'].map((c) => `runbooks.remote.${c}`),
      ...Object.keys(incidentErrors).map((c) => `incidents.errors.${c}`),
      ...Object.keys(reportErrors).map((c) => `reports.errors.${c}`),
      ...Object.keys(entryKinds).map((c) => `incidents.timeline.${c}`),
      ...['pageReceived', 'pageNotified', 'pageAcknowledged', 'pageResolved', 'pageReopened', 'pageUpdated'].map((c) => `incidents.timeline.${c}`),
    ];
    for (const lang of ['en', 'de']) {
      const i18n = createI18n(lang);
      for (const key of wanted) expect(i18n.exists(key), `${lang}: ${key}`).toBe(true);
    }
  });
});
