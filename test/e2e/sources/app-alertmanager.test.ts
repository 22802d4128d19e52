import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Delivery } from '../../../src/core/ipc-contract';
import { startMainServices, type MainServices } from '../../../src/main/services';
import { startAlertmanager } from '../peers/alertmanager';
import { freePort } from '../peers/process';

const TOKEN = 'app-alertmanager-e2e-token-0123456789';

/**
 * The real main services with an Alertmanager source that has its API configured, against Debian's
 * Alertmanager: webhooks arrive at /hooks/alertmanager, polls reconcile, acknowledgements become
 * ACK! silences. The app's port is chosen first, because each side needs the other's address.
 */
describe('Alertmanager as a configured source of the running app', () => {
  let am: Awaited<ReturnType<typeof startAlertmanager>>;
  let services: MainServices;
  let dataDir: string;
  const pending = (): Delivery[] => services.outbox.pending();
  const signals = () => pending().flatMap((d) => d.signals);

  beforeAll(async () => {
    const appPort = await freePort();
    am = await startAlertmanager({ url: `http://127.0.0.1:${appPort}/hooks/alertmanager`, token: TOKEN });
    dataDir = mkdtempSync(path.join(tmpdir(), 'occ-am-source-'));
    writeFileSync(
      path.join(dataDir, 'config.json'),
      JSON.stringify({
        listener: { host: '127.0.0.1', port: appPort, token: TOKEN },
        coalesceSeconds: 0,
        sources: [{ id: 'alertmanager', kind: 'alertmanager', name: 'Prod Alertmanager', options: { baseUrl: am.base, pollIntervalMs: 3_600_000 } }],
      }),
    );
    services = await startMainServices({
      dataDir,
      notifier: { notify: () => undefined },
      tray: { setAttention: () => undefined },
      events: { emit: () => undefined },
      clock: { now: () => Date.now() },
      logger: { info: () => undefined, error: (m) => console.error(m) },
      isTrustedSender: () => true,
      openExternal: () => undefined,
      // the ack's silence is made at once, so the test can take it back through Alertmanager
      writeBackDelayMs: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await services?.stop();
    await am?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const pollNow = () => services.handlers['sources:poll-now']!(undefined as never);

  it('an alert silenced in Alertmanager and then resolved (no resolve webhook is ever sent) is closed by polling', async () => {
    const labels = { alertname: 'SilencedThenGone', instance: 'db-2:9100', severity: 'critical' };
    const startsAt = new Date().toISOString();
    await am.postAlerts([{ labels, annotations: { summary: 'will be silenced' }, startsAt }]);
    await vi.waitFor(() => expect(signals().find((s) => s.title === 'SilencedThenGone')).toMatchObject({ status: 'firing' }), { timeout: 15_000, interval: 100 });
    const pageId = signals().find((s) => s.title === 'SilencedThenGone')!.id;
    expect(pageId).toMatch(/^alertmanager:[0-9a-f]+$/);

    const now = Date.now();
    const silence = await fetch(`${am.base}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: [{ name: 'alertname', value: 'SilencedThenGone', isRegex: false, isEqual: true }], startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), createdBy: 'teammate', comment: 'maintenance' }),
    });
    expect(silence.status).toBe(200);
    // the page says who silenced it, until when
    await pollNow();
    expect(pending().flatMap((d) => d.events).find((e) => e.pageId === pageId && e.kind === 'updated')?.detail).toMatch(/^Silenced by teammate until \d\d:\d\d:\d\d$/);
    await am.postAlerts([{ labels, annotations: { summary: 'will be silenced' }, startsAt, endsAt: new Date().toISOString() }]);
    // Alertmanager sends no resolve for a silenced alert; only the poll can tell
    expect(signals().filter((s) => s.id === pageId).map((s) => s.status)).toEqual(['firing']);

    await pollNow();
    expect(signals().filter((s) => s.id === pageId).map((s) => s.status)).toEqual(['firing', 'resolved']);
    expect(services.pages.livePages().find((p) => p.id === pageId)?.status).toBe('resolved');
    expect(services.sources.view().sources.find((s) => s.id === 'alertmanager')).toMatchObject({ name: 'Prod Alertmanager', state: 'connected', polling: true });
  });

  it('acknowledging in the app creates the ACK! silence in Alertmanager and the timeline says "ack sent … ✓"', async () => {
    const labels = { alertname: 'AckMe', instance: 'web-1:9100', severity: 'critical' };
    await am.postAlerts([{ labels, annotations: { summary: 'acknowledge me' } }]);
    await vi.waitFor(() => expect(signals().find((s) => s.title === 'AckMe')).toBeTruthy(), { timeout: 15_000, interval: 100 });
    const pageId = signals().find((s) => s.title === 'AckMe')!.id;

    await services.handlers['pages:acknowledge']!({ ids: [pageId] } as never);
    await vi.waitFor(() => expect(pending().flatMap((d) => d.events).find((e) => e.pageId === pageId && e.kind === 'writeBack')).toBeTruthy(), { timeout: 15_000, interval: 100 });
    const line = pending().flatMap((d) => d.events).find((e) => e.pageId === pageId && e.kind === 'writeBack')!;
    expect(line.detail).toMatch(/^ack sent to Alertmanager \d\d:\d\d:\d\d ✓$/);

    const listed = (await (await fetch(`${am.base}/api/v2/silences`)).json()) as Array<{ id: string; comment: string; status: { state: string }; matchers: Array<{ name: string; value: string }> }>;
    const ack = listed.find((s) => s.status.state === 'active' && s.comment.startsWith('ACK!') && s.matchers.some((m) => m.name === 'alertname' && m.value === 'AckMe'));
    expect(ack).toBeTruthy();
    expect(ack!.matchers.map((m) => `${m.name}=${m.value}`).sort()).toEqual(['alertname=AckMe', 'instance=web-1:9100', 'severity=critical']);
    // the next poll sees the alert suppressed by this app's own silence, and says so
    await pollNow();
    expect(pending().flatMap((d) => d.events).find((e) => e.pageId === pageId && e.kind === 'updated')?.detail).toMatch(/^Acknowledged \(silence until \d\d:\d\d:\d\d\)$/);
    // the local acknowledgement stands
    expect(services.pages.livePages().find((p) => p.id === pageId)?.status).toBe('acknowledged');

    // Undo in the app: the ACK! silence expires in Alertmanager, the page fires again, and the timeline says so
    expect(await services.handlers['pages:unacknowledge']!({ ids: [pageId] } as never)).toEqual({ unacknowledged: 1 });
    const writeBacks = () => pending().flatMap((d) => d.events).filter((e) => e.pageId === pageId && e.kind === 'writeBack');
    await vi.waitFor(() => expect(writeBacks()).toHaveLength(2), { timeout: 15_000, interval: 100 });
    expect(writeBacks()[1]!.detail).toMatch(/^unack sent to Alertmanager \d\d:\d\d:\d\d ✓$/);
    const after = (await (await fetch(`${am.base}/api/v2/silences`)).json()) as Array<{ id: string; status: { state: string } }>;
    expect(after.find((s) => s.id === ack!.id)?.status.state).toBe('expired');
    expect(pending().flatMap((d) => d.commands).filter((c) => c.ids.includes(pageId)).map((c) => c.type)).toEqual(['acknowledge', 'unacknowledge']);
    expect(services.pages.livePages().find((p) => p.id === pageId)?.status).toBe('firing');
  });
});
