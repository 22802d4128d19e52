import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEventIds, formatEventId, isKeptHeader, nextEventId, parseEventId, relayEnvelopeSchema } from '../../../src/core/relay/envelope';
import { relaySourceSettingsSchema } from '../../../src/core/relay/source-settings';

describe('relay event ids and envelope', () => {
  it('orders ids numerically, not as text', () => {
    expect(compareEventIds('999-0', '1000-0')).toBeLessThan(0);
    expect(compareEventIds('1000-10', '1000-9')).toBeGreaterThan(0);
    expect(parseEventId('12-x')).toBeNull();
    expect(() => compareEventIds('a', '1-0')).toThrow(/not an event id: a/);
  });

  it('never hands out a smaller or equal id, whatever the clock does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000_000_000 }), { minLength: 1, maxLength: 50 }), (clock) => {
        let last = null as ReturnType<typeof nextEventId> | null;
        for (const now of clock) {
          const next = nextEventId(last, now);
          if (last) expect(compareEventIds(formatEventId(next), formatEventId(last))).toBeGreaterThan(0);
          last = next;
        }
      }),
    );
  });

  it('keeps signature headers and never Authorization', () => {
    expect(['Content-Type', 'x-pagerduty-signature', 'X-Grafana-Alerting-Signature', 'user-agent'].every((h) => isKeptHeader(h))).toBe(true);
    expect(['authorization', 'cookie', 'x-forwarded-for'].some((h) => isKeptHeader(h))).toBe(false);
    expect(isKeptHeader('X-Hub-Signature-256')).toBe(true);
    expect(isKeptHeader('x-webhook-timestamp')).toBe(false);
    expect(isKeptHeader('x-webhook-timestamp', ['x-webhook-timestamp'])).toBe(true);
  });

  it('refuses an envelope with a malformed id or channel', () => {
    const ok = { id: '1-0', channel: 'ops', source: 'am', receivedAt: 1, headers: {}, body: '' };
    expect(relayEnvelopeSchema.parse(ok).bodyExact).toBe(true);
    expect(relayEnvelopeSchema.safeParse({ ...ok, id: '1' }).success).toBe(false);
    expect(relayEnvelopeSchema.safeParse({ ...ok, channel: '../x' }).success).toBe(false);
  });
});

describe('relay source settings', () => {
  it('accepts a relay or a smee.io URL and names what is wrong otherwise', () => {
    expect(relaySourceSettingsSchema.safeParse({ mode: 'relay', url: 'https://relay.example.com', channel: 'ops', token: 'x'.repeat(16) }).success).toBe(true);
    expect(relaySourceSettingsSchema.safeParse({ mode: 'smee', url: 'https://smee.io/AbC123', source: 'grafana' }).success).toBe(true);
    const bad = relaySourceSettingsSchema.safeParse({ mode: 'smee', url: 'https://smee.example/AbC123', source: 'grafana' });
    expect(bad.success ? '' : bad.error.issues[0]!.message).toMatch(/smee\.io channel URL/);
    const noToken = relaySourceSettingsSchema.safeParse({ mode: 'relay', url: 'ftp://x', channel: 'ops', token: 'short' });
    expect(noToken.success ? [] : noToken.error.issues.map((i) => i.path.join('.'))).toEqual(['url', 'token']);
  });
});
