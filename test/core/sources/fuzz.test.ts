import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { SOURCE_ADAPTERS } from '../../../src/core/sources/registry';
import { SOURCE_KINDS, type SourceKind } from '../../../src/core/sources/kinds';
import { SOURCE_ERROR_STATUS, type AdapterResult } from '../../../src/core/sources/types';
import { fixtureJson, fixtureText } from '../../helpers/vendor-fake';

const FIXTURES: Record<SourceKind, Array<[string, string]>> = {
  alertmanager: [['alertmanager', 'webhook-firing.json'], ['alertmanager', 'webhook-resolved.json']],
  grafana: [['grafana', 'webhook-v1-firing.json'], ['grafana', 'webhook-legacy-alerting.json']],
  pagerduty: [['pagerduty', 'webhook-incident-triggered.json'], ['pagerduty', 'webhook-incident-resolved.json']],
  opsgenie: [['opsgenie', 'webhook-create.json'], ['opsgenie', 'webhook-close.json']],
  goalert: [['goalert', 'alert.json'], ['goalert', 'status-closed.json'], ['goalert', 'alert-bundle.json']],
  generic: [['generic', 'webhook-batch.json']],
};
const OPTIONS: Record<SourceKind, unknown> = {
  alertmanager: {},
  grafana: {},
  pagerduty: {},
  opsgenie: {},
  goalert: { baseUrl: 'https://goalert.example.com' },
  generic: fixtureJson('generic', 'mapping.json'),
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value in a JSON document, so a mutation can hit any field at any depth. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(doc: Json, path: Array<string | number>, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const copy = structuredClone(doc) as Record<string | number, Json>;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as Json;
}

/** Bodies: random text, random JSON, fixtures with one field replaced or removed, and fixtures with one character changed. */
function bodies(kind: SourceKind): fc.Arbitrary<string> {
  const docs = FIXTURES[kind].map(([v, n]) => JSON.parse(fixtureText(v, n)) as Json);
  const texts = FIXTURES[kind].map(([v, n]) => fixtureText(v, n));
  const mutated = fc.integer({ min: 0, max: docs.length - 1 }).chain((d) => {
    const all = paths(docs[d]!);
    return fc
      .tuple(fc.integer({ min: 0, max: all.length - 1 }), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }))
      .map(([p, v]) => JSON.stringify(setAt(docs[d]!, all[p]!, v as Json | undefined)));
  });
  const flipped = fc.integer({ min: 0, max: texts.length - 1 }).chain((t) =>
    fc.tuple(fc.integer({ min: 0, max: texts[t]!.length - 1 }), fc.string({ minLength: 0, maxLength: 2 })).map(([i, s]) => texts[t]!.slice(0, i) + s + texts[t]!.slice(i + 1)),
  );
  return fc.oneof({ arbitrary: mutated, weight: 5 }, { arbitrary: flipped, weight: 3 }, { arbitrary: fc.json({ maxDepth: 3 }), weight: 1 }, { arbitrary: fc.string({ maxLength: 64 }), weight: 1 });
}

function wellFormed(result: AdapterResult, sourceId: string): boolean {
  if (!result.ok) return result.error.code in SOURCE_ERROR_STATUS && typeof result.error.params === 'object';
  return result.signals.every(
    (s) =>
      s.id === `${sourceId}:${s.fingerprint}` &&
      s.fingerprint.length > 0 &&
      (s.status === 'firing' || s.status === 'resolved') &&
      Number.isFinite(s.startsAt) &&
      ['P1', 'P2', 'P3', 'P4'].includes(s.severity) &&
      typeof s.title === 'string' &&
      Object.values(s.labels).every((v) => typeof v === 'string') &&
      result.groups.some((g) => g.groupKey === s.groupKey),
  );
}

describe('adapter fuzzing', () => {
  for (const kind of SOURCE_KINDS) {
    it(`${kind}: 10,000 generated bodies give signals or a typed refusal, never a throw`, () => {
      const adapter = SOURCE_ADAPTERS[kind];
      const parsed = adapter.parseOptions(OPTIONS[kind] as never);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      const ctx = { sourceId: `fz-${kind}`, severityMapping: DEFAULT_SEVERITY_MAPPING };
      let accepted = 0;
      fc.assert(
        fc.property(bodies(kind), (rawBody) => {
          const r = adapter.parseWebhook!({ rawBody, headers: {}, receivedAt: 1_763_700_000_000 }, ctx, parsed.options);
          if (r.ok) accepted++;
          return wellFormed(r, ctx.sourceId);
        }),
        { numRuns: 10_000 },
      );
      // the mutations must also reach the adapters' happy path, or the fuzzing tests only refusals
      expect(accepted).toBeGreaterThan(100);
    });
  }
});
