import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort, startPeer } from './process';

/** Debian's Prometheus Alertmanager on loopback, with one webhook receiver pointing at the app. */
export async function startAlertmanager(webhook: { url: string; token: string }, opts: { repeatInterval?: string } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-am-'));
  const port = await freePort();
  const config = `
route:
  receiver: app
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: ${opts.repeatInterval ?? '1h'}
receivers:
  - name: app
    webhook_configs:
      - url: ${webhook.url}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${webhook.token}
`;
  writeFileSync(path.join(dir, 'am.yml'), config);
  const base = `http://127.0.0.1:${port}`;
  const peer = startPeer('prometheus-alertmanager', [
    `--config.file=${path.join(dir, 'am.yml')}`,
    `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    `--web.external-url=${base}`,
  ]);
  await peer.waitForLine(/Listening on|msg="Listening/, 'Alertmanager listening');

  return {
    base,
    port,
    peer,
    /** POSTs alerts to /api/v2/alerts, as Prometheus would. */
    async postAlerts(alerts: unknown[]): Promise<void> {
      const res = await fetch(`${base}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      if (!res.ok) throw new Error(`Alertmanager refused alerts: ${res.status} ${await res.text()}`);
    },
    async stop() {
      await peer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
