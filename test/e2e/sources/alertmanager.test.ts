import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PageSignal } from '../../../src/core/page';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { describeSilences, reconcileAlertmanager, type KnownPage } from '../../../src/core/sources/alertmanager/poll';
import { alertmanagerAdapter } from '../../../src/core/sources/alertmanager/webhook';
import { parseSourceConfigs } from '../../../src/core/sources/config';
import { createAlertmanagerClient, type AlertmanagerClient } from '../../../src/main/sources/alertmanager-client';
import { createSourceRegistry, type PollDelivery } from '../../../src/main/sources/registry';
import { memorySecretStore } from '../../../src/main/sources/secret-store';
import { systemTimers } from '../../../src/main/sources/http';
import { answerWebhook, normalizeHeaders } from '../../../src/main/sources/receive';
import { startAlertmanager } from '../peers/alertmanager';

const ctx = { sourceId: 'am-e2e', severityMapping: DEFAULT_SEVERITY_MAPPING };
const TOKEN = 'e2e-token';
const clock = { now: () => Date.now() };

/**
 * The app's side, reduced to what these tests watch: a webhook route that runs the real receiving
 * path, and a page store keyed by signal id. Waiters resolve on the store's changes, not on time.
 */
async function startReceiver() {
  const pages = new Map<string, KnownPage & { status: 'firing' | 'resolved'; labels: Record<string, string> }>();
  const waiters = new Set<() => void>();
  const webhooks: number[] = [];
  const apply = (signals: PageSignal[], now: number) => {
    for (const s of signals) {
      const prev = pages.get(s.id);
      pages.set(s.id, { ...s, groupKey: prev?.groupKey ?? s.groupKey, receivedAt: prev?.receivedAt ?? now, status: s.status });
    }
    waiters.forEach((w) => w());
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401).end();
        return;
      }
      const receivedAt = Date.now();
      const a = answerWebhook({ adapter: alertmanagerAdapter, options: { pollIntervalMs: 30_000 }, ctx, secret: null }, { rawBody: Buffer.concat(chunks).toString('utf8'), headers: normalizeHeaders(req.headers), receivedAt }, 32 * 1024 * 1024);
      webhooks.push(a.status);
      if (a.result.ok) apply(a.result.signals, receivedAt);
      res.writeHead(a.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/alertmanager`,
    pages,
    webhooks,
    apply,
    until(pred: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pred()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => reject(new Error(`never: ${what}; pages ${JSON.stringify([...pages.values()].map((p) => [p.id, p.status]))}`)), timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const DISK = { alertname: 'DiskAlmostFull', instance: 'db-1:9100', severity: 'critical' };
const LATENCY = { alertname: 'HighLatency', instance: 'web-1:9100', severity: 'warning' };

describe('real Alertmanager: polling, acknowledgement silences, reconciliation', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let am: Awaited<ReturnType<typeof startAlertmanager>>;
  let client: AlertmanagerClient;

  beforeEach(async () => {
    receiver = await startReceiver();
    am = await startAlertmanager({ url: receiver.url, token: TOKEN });
    client = createAlertmanagerClient({ baseUrl: am.base, fetch, clock, timers: systemTimers, ctx });
  });
  afterEach(async () => {
    await am.stop();
    await receiver.stop();
  });

  it('a silenced alert that resolves is closed by the poll, though Alertmanager sends no resolve', async () => {
    await am.postAlerts([{ labels: DISK, annotations: { summary: 'Disk on db-1 is 97% full' } }]);
    await receiver.until(() => receiver.pages.size === 1, 'the firing webhook');
    const page = [...receiver.pages.values()][0]!;
    expect(page).toMatchObject({ status: 'firing', title: 'DiskAlmostFull', severity: 'P1' });

    // acknowledge in the app: a silence on the exact labels, comment "ACK!"
    const ack = await client.acknowledge({ labels: page.labels, endsAt: null }, 'jane@example.com');
    expect(ack).toMatchObject({ ok: true, target: 'alertmanager', action: 'acknowledge' });
    const silenceId = ack.ok ? ack.ref! : '';

    // the poll now shows it suppressed by that silence, which is recognisably ours
    const polled = await client.pollAlerts();
    if (!polled.ok) throw new Error(JSON.stringify(polled.failure));
    const suppression = polled.poll.suppressions.find((s) => s.pageId === page.id)!;
    expect(suppression).toMatchObject({ state: 'suppressed', silencedBy: [silenceId] });
    const silences = await client.listSilences();
    if (!silences.ok) throw new Error(JSON.stringify(silences.failure));
    expect(describeSilences(suppression, silences.silences)).toMatchObject([{ id: silenceId, createdBy: 'jane@example.com', isAck: true }]);
    expect(silences.silences.find((s) => s.id === silenceId)!.matchers.map((m) => `${m.name}=${m.value}`).sort()).toEqual(['alertname=DiskAlmostFull', 'instance=db-1:9100', 'severity=critical']);

    // the alert resolves at its source while silenced
    await am.postAlerts([{ labels: DISK, annotations: { summary: 'Disk on db-1 is 97% full' }, startsAt: new Date(page.startsAt).toISOString(), endsAt: new Date().toISOString() }]);
    const after = await client.pollAlerts();
    if (!after.ok) throw new Error(JSON.stringify(after.failure));
    const r = reconcileAlertmanager([...receiver.pages.values()].filter((p) => p.status === 'firing'), after.poll, after.polledAt);
    expect(r.closed).toEqual([page.id]);
    receiver.apply(r.signals, Date.now());
    expect(receiver.pages.get(page.id)).toMatchObject({ status: 'resolved', title: 'DiskAlmostFull' });
    // the close came from the poll: no resolve webhook had arrived (prometheus/alertmanager#226)
    expect(receiver.webhooks).toEqual([200]);
  });

  it('extends the acknowledgement silence while the alert fires, and unacknowledge expires it', async () => {
    await am.postAlerts([{ labels: LATENCY, annotations: { summary: 'p99 over 2s' } }]);
    await receiver.until(() => receiver.pages.size === 1, 'the firing webhook');
    const first = await client.pollAlerts();
    if (!first.ok) throw new Error(JSON.stringify(first.failure));
    const page = [...receiver.pages.values()][0]!;
    const ack = await client.acknowledge({ labels: page.labels, endsAt: first.poll.suppressions[0]!.endsAt }, 'jane@example.com');
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));

    // Prometheus keeps re-sending the alert, moving its end further out: the silence follows
    await am.postAlerts([{ labels: LATENCY, annotations: { summary: 'p99 over 2s' }, endsAt: new Date(Date.now() + 60 * 60_000).toISOString() }]);
    const later = await client.pollAlerts();
    if (!later.ok) throw new Error(JSON.stringify(later.failure));
    const kept = await client.keepAcks(later.poll, [{ pageId: page.id, silenceId: ack.silenceId!, endsAt: ack.endsAt! }], 'jane@example.com');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.result.ok).toBe(true);
    const silences = await client.listSilences();
    if (!silences.ok) throw new Error('silences');
    const active = silences.silences.filter((s) => s.status.state === 'active' && s.comment.startsWith('ACK!'));
    expect(active).toHaveLength(1);
    expect(Date.parse(active[0]!.endsAt)).toBeGreaterThan(Date.now() + 60 * 60_000);

    // unacknowledge: the silence expires and the alert is active again
    const un = await client.unacknowledge(active[0]!.id);
    expect(un).toMatchObject({ ok: true, action: 'unacknowledge' });
    const afterUn = await client.listSilences();
    expect(afterUn.ok && afterUn.silences.find((s) => s.id === active[0]!.id)!.status.state).toBe('expired');
    const polled = await client.pollAlerts();
    expect(polled.ok && polled.poll.suppressions[0]!.state).toBe('active');
  });

  it('finds an alert the app missed (fired while it was away) and keeps paging it', async () => {
    await receiver.stop();
    await am.postAlerts([{ labels: DISK, annotations: { summary: 'missed' } }]);
    const polled = await client.pollAlerts();
    if (!polled.ok) throw new Error(JSON.stringify(polled.failure));
    const r = reconcileAlertmanager([], polled.poll, polled.polledAt);
    expect(r.discovered).toHaveLength(1);
    expect(r.signals[0]).toMatchObject({ status: 'firing', title: 'DiskAlmostFull', groupKey: 'am-e2e:poll:{alertname="DiskAlmostFull"}' });
    receiver = await startReceiver();
  });
});

describe('real Alertmanager through the source registry', () => {
  it('polls, acknowledges with a silence, reconciles the silenced resolve, and unacknowledges', async () => {
    const am = await startAlertmanager({ url: 'http://127.0.0.1:9/unused', token: TOKEN });
    try {
      const parsed = parseSourceConfigs([{ id: 'am-reg', kind: 'alertmanager', name: 'Prod', options: { baseUrl: am.base } }]);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      const pages = new Map<string, KnownPage & { status: string; labels: Record<string, string> }>();
      const polls: PollDelivery[] = [];
      const reg = createSourceRegistry({
        sources: parsed.sources,
        secrets: memorySecretStore(),
        fetch,
        clock,
        timers: systemTimers,
        severityMapping: DEFAULT_SEVERITY_MAPPING,
        knownPages: () => [...pages.values()].filter((p) => p.status === 'firing'),
        onPoll: (d) => {
          polls.push(d);
          for (const s of d.reconciliation.signals) pages.set(s.id, { ...s, receivedAt: pages.get(s.id)?.receivedAt ?? d.polledAt });
        },
        who: 'jane@example.com',
      });
      await reg.start();
      // the start-up poll is under way and may have asked before the alert existed; pollAll() shares
      // a poll in flight, so let it finish before posting (this raced under CI's load)
      await reg.pollAll();
      await am.postAlerts([{ labels: DISK, annotations: { summary: 'full' } }]);
      await reg.pollAll();
      const page = [...pages.values()].find((p) => p.title === 'DiskAlmostFull')!;
      expect(page).toMatchObject({ status: 'firing', id: 'am-reg:cdfe032e9f2869d1' });

      expect(await reg.writeBack('am-reg', 'acknowledge', page)).toMatchObject({ ok: true, target: 'alertmanager' });
      expect(reg.ackSilences('am-reg')).toHaveLength(1);
      await reg.pollAll();
      expect(polls.at(-1)!.suppressions[0]).toMatchObject({ state: 'suppressed', silencedBy: [reg.ackSilences('am-reg')[0]!.silenceId] });
      expect(polls.at(-1)!.silences[page.id]).toMatchObject([{ createdBy: 'jane@example.com', isAck: true }]);

      // after a restart the app adopts its own ACK! silence again, so unacknowledge still works
      reg.restoreAcks('am-reg', []);
      await reg.pollAll();
      expect(reg.ackSilences('am-reg').map((a) => a.pageId)).toEqual([page.id]);

      const un = await reg.writeBack('am-reg', 'unacknowledge', page);
      expect(un).toMatchObject({ ok: true, action: 'unacknowledge' });
      expect(reg.ackSilences('am-reg')).toEqual([]);
      await reg.pollAll();
      expect(polls.at(-1)!.suppressions[0]!.state).toBe('active');

      await am.postAlerts([{ labels: DISK, annotations: { summary: 'full' }, startsAt: new Date(page.startsAt).toISOString(), endsAt: new Date().toISOString() }]);
      await reg.pollAll();
      expect(pages.get(page.id)!.status).toBe('resolved');
      expect(reg.statuses()[0]).toMatchObject({ state: 'connected', lastError: null });
      reg.stop();
    } finally {
      await am.stop();
    }
  });
});
