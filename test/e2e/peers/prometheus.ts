import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort, startPeer } from './process';

/**
 * A tiny exporter the test controls: `crashlooping{namespace,pod}` series, one per pod in the set.
 * Prometheus scrapes it every second, so changing the set fires or resolves alerts for real.
 */
export async function startExporter() {
  let pods: string[] = [];
  const server: Server = createServer((_req, res) => {
    const lines = ['# TYPE crashlooping gauge', ...pods.map((p) => `crashlooping{namespace="payments",pod="${p}",container="api"} 1`)];
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${lines.join('\n')}\n`);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    target: `127.0.0.1:${port}`,
    setPods(next: string[]) {
      pods = next;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Debian's Prometheus with kube-prometheus-style rules: KubePodCrashLooping per crash-looping pod
 * (severity critical) and the always-firing Watchdog heartbeat (severity none).
 */
export async function startPrometheus(opts: { alertmanager: string; scrapeTarget: string }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-prom-'));
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'rules.yml'),
    `groups:
  - name: kubernetes-apps
    rules:
      - alert: KubePodCrashLooping
        expr: crashlooping > 0
        labels:
          severity: critical
        annotations:
          summary: Pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping.
          description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is in waiting state (reason: "CrashLoopBackOff").'
          runbook_url: https://runbooks.example.dev/runbooks/kubernetes/kubepodcrashlooping
  - name: general.rules
    rules:
      - alert: Watchdog
        expr: vector(1)
        labels:
          severity: none
        annotations:
          summary: An alert that should always be firing to certify that Alertmanager is working properly.
`,
  );
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: 1s
  evaluation_interval: 1s
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['${opts.alertmanager}']
rule_files: ['${path.join(dir, 'rules.yml')}']
scrape_configs:
  - job_name: pods
    static_configs:
      - targets: ['${opts.scrapeTarget}']
`,
  );
  const peer = startPeer('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // at the default of 1 min the first alerts are lost while Prometheus still looks for Alertmanager
    '--rules.alert.resend-delay=1s',
  ]);
  await peer.waitForLine(/Server is ready to receive web requests/, 'Prometheus ready', 30_000);
  return {
    base: `http://127.0.0.1:${port}`,
    peer,
    async stop() {
      await peer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
