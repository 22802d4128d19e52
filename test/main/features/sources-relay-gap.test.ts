import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../../helpers/main-harness';
import { oneAlertWebhook, RELAY_SUBSCRIBER_TOKEN } from '../relay/relay-process';

/**
 * A relay that answers every subscription with a gap frame and one event after it, as the relay does
 * for a client whose Last-Event-ID is older than its retention (relay/README.md, "Gaps").
 */
function gapRelay(gap: { after: string; reason: 'retention' | 'reset'; lostThrough: string }) {
  const lastEventIds: Array<string | undefined> = [];
  const event = { id: '1763800000000-0', channel: 'ops', source: 'alertmanager', receivedAt: 1763800000000, headers: { 'content-type': 'application/json' }, body: Buffer.from(oneAlertWebhook('after-gap')).toString('base64'), bodyExact: true };
  const server = http.createServer((req, res) => {
    lastEventIds.push(req.headers['last-event-id'] as string | undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`event: gap\ndata: ${JSON.stringify(gap)}\n\nid: ${event.id}\nevent: hook\ndata: ${JSON.stringify(event)}\n\n`);
  });
  return new Promise<{ base: string; lastEventIds: typeof lastEventIds; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        lastEventIds,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      }),
    ),
  );
}

function appDataDir(relayBase: string, cursor: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-relay-gap-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: 'relay-test-listener-token-0123456789' }, relays: [{ id: 'team', name: 'Team relay', mode: 'relay', url: relayBase, channel: 'ops' }] }));
  mkdirSync(path.join(dir, 'secrets'));
  writeFileSync(path.join(dir, 'secrets', 'relay.team.token'), RELAY_SUBSCRIBER_TOKEN);
  writeFileSync(path.join(dir, 'relay-cursor-team'), cursor);
  return dir;
}

describe('a relay that no longer has what the app missed', () => {
  let app: Harness | null = null;
  let relay: Awaited<ReturnType<typeof gapRelay>> | null = null;
  afterEach(async () => {
    await app?.stop();
    await relay?.close();
    app = null;
    relay = null;
  });

  it('says so at once, as critical, with the time span lost, and still takes the events that follow', async () => {
    const after = '1763100000000-4';
    relay = await gapRelay({ after, reason: 'retention', lostThrough: '1763600000000-0' });
    app = await startHarness({ dataDir: appDataDir(relay.base, after) });
    await vi.waitFor(() => expect(app!.rec.notifications.filter((n) => n.pageId === 'gap:team')).toHaveLength(1), { timeout: 10_000 });
    expect(relay.lastEventIds[0]).toBe(after);
    const note = app.rec.notifications.find((n) => n.pageId === 'gap:team')!;
    expect(note).toMatchObject({ title: 'The relay lost events', urgency: 'critical', route: '#/settings' });
    expect(note.body).toMatch(/^Team relay: events sent to it between .+ and .+ are gone \(older than the relay keeps them\)\. Pages among them never reached this app/);
    // Settings shows it on the relay, and the event after the gap is a page as usual
    expect(app.services.sources.view().relays[0]!.gap).toMatchObject({ after, reason: 'retention', lostThrough: '1763600000000-0' });
    await vi.waitFor(() => expect(app!.services.pages.livePages().map((p) => p.title)).toContain('after-gap'), { timeout: 10_000 });
    expect(app.rec.errors.some((e) => e.includes('retention gap after 1763100000000-4'))).toBe(true);
  }, 30_000);

  it('from a subscription made while the channel was empty, it says "before", not "between 1970 and"', async () => {
    relay = await gapRelay({ after: '0-0', reason: 'retention', lostThrough: '1763600000000-0' });
    app = await startHarness({ dataDir: appDataDir(relay.base, '0-0') });
    await vi.waitFor(() => expect(app!.rec.notifications.filter((n) => n.pageId === 'gap:team')).toHaveLength(1), { timeout: 10_000 });
    expect(app.rec.notifications.find((n) => n.pageId === 'gap:team')!.body).toMatch(/^Team relay: events sent to it before .+ are gone/);
  }, 30_000);

  it('a relay that was reset says what it no longer has', async () => {
    const after = '1763900000000-0';
    relay = await gapRelay({ after, reason: 'reset', lostThrough: '0-0' });
    app = await startHarness({ dataDir: appDataDir(relay.base, after) });
    await vi.waitFor(() => expect(app!.rec.notifications.filter((n) => n.pageId === 'gap:team')).toHaveLength(1), { timeout: 10_000 });
    expect(app.rec.notifications.find((n) => n.pageId === 'gap:team')!.body).toMatch(/^Team relay has no events after .+ any more: its stored events were reset\./);
  }, 30_000);
});
