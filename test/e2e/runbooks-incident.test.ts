import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationContent } from '../../src/core/notification';
import { formatReportTime } from '../../src/core/reports/format';
import type { RendererEvents } from '../../src/main/adapters';
import { isAppUrl } from '../../src/main/security';
import { startMainServices, type MainServices } from '../../src/main/services';
import { testDataDir } from '../helpers/main-harness';
import { startRenderer } from './renderer-host';

const ARTIFACTS = path.resolve(process.cwd(), 'test-results');

const CRASHLOOP = `---
title: KubePodCrashLooping
---
# Pod is crash looping

## Meaning
A container restarts again and again.

## Diagnosis
Look at the pod's events and its last logs.

\`\`\`sh
kubectl -n $NAMESPACE describe pod $POD
\`\`\`

## Mitigation
1. Check whether a deploy went out in the last hour
2. Roll back the deployment

   \`\`\`sh
   kubectl -n $NAMESPACE rollout undo deployment/$DEPLOYMENT
   \`\`\`
3. Watch the restarts stop
`;

const EVIL = `# Evil runbook

<script>window.__pwned = 'script'</script>

<img src="x" onerror="window.__pwned = 'onerror'">

<iframe src="javascript:window.top.__pwned = 'iframe'"></iframe>

- [ ] Click [here](javascript:window.__pwned='link') for help
- [ ] Or [this](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
- [ ] ![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)

<details><summary>More</summary><a href="javascript:alert(1)">x</a></details>
`;

describe('runbook → checklist → incident → postmortem, end to end in Chromium', () => {
  let services: MainServices;
  let ui: Awaited<ReturnType<typeof startRenderer>>;
  let dataDir: string;
  let work: string;
  let single: string;
  const notes: NotificationContent[] = [];
  const saved: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    work = mkdtempSync(path.join(tmpdir(), 'occ-e2e-runbooks-'));
    const library = path.join(work, 'ops', 'docs', 'ops');
    mkdirSync(path.join(library, 'kubernetes'), { recursive: true });
    writeFileSync(path.join(library, 'kubernetes', 'KubePodCrashLooping.md'), CRASHLOOP);
    writeFileSync(path.join(library, 'evil.md'), EVIL);
    mkdirSync(path.join(work, 'notes'), { recursive: true });
    single = path.join(work, 'notes', 'DiskAlmostFull.md');
    writeFileSync(single, '# Disk almost full\n\n1. Find the biggest files\n2. Rotate the logs\n');
    dataDir = testDataDir();
    let events: RendererEvents | null = null;
    let appUrl = '';
    services = await startMainServices({
      dataDir,
      notifier: { notify: (n) => void notes.push(n) },
      tray: { setAttention: () => undefined },
      events: { emit: (c, p) => events?.emit(c, p) },
      clock: { now: () => Date.now() },
      logger: { info: () => undefined, error: (m) => console.error(m) },
      isTrustedSender: (url) => isAppUrl(url, appUrl),
      openExternal: () => undefined,
      pickFolder: async () => library,
      // one runbook kept outside the ops repo, picked on its own
      pickRunbookFiles: async () => [single],
      // the PDF the app saves is Chromium's rendering of the report HTML, as printToPDF does in Electron
      renderPdf: async (html) => {
        const tab = await ui.page.context().newPage();
        try {
          await tab.setContent(html, { waitUntil: 'load' });
          return new Uint8Array(await tab.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
        } finally {
          await tab.close();
        }
      },
      saveDialog: async (name) => {
        const file = path.join(work, name);
        saved.push(file);
        return file;
      },
    });
    ui = await startRenderer({ router: () => services.router, onAppUrl: (u) => (appUrl = u) });
    events = ui.events;
  }, 60_000);

  afterAll(async () => {
    await ui?.stop();
    await services?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function postAlert(alertname = 'KubePodCrashLooping', severity = 'critical'): Promise<void> {
    const { url, token } = services.settings.view().listener;
    const now = new Date().toISOString();
    const body = {
      version: '4',
      groupKey: `{}:{alertname="${alertname}"}`,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'laptop',
      groupLabels: { alertname },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager:9093',
      alerts: [
        {
          status: 'firing',
          labels: { alertname, namespace: 'payments', pod: 'payments-api-1', severity },
          annotations: { summary: `${alertname} on payments-api-1`, runbook_url: 'https://runbooks.example.dev/runbooks/kubernetes/kubepodcrashlooping' },
          startsAt: now,
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus:9090/graph',
          fingerprint: `fp-${alertname}`,
        },
      ],
    };
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  }

  it('a page with a runbook_url opens its runbook, three steps are ticked with timestamps, an incident is made, noted, resolved, and its postmortem exported as PDF', async () => {
    const { page } = ui;
    const nav = page.getByRole('navigation');
    await nav.getByRole('button', { name: 'Runbooks', exact: true }).click();
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await page.getByRole('navigation', { name: 'Runbook library' }).getByText('KubePodCrashLooping').waitFor();

    // a single file: listed, watched, and followed when an editor saves it by rename
    await page.getByRole('button', { name: 'Add files…' }).click();
    const library = page.getByRole('navigation', { name: 'Runbook library' });
    await library.getByText('Disk almost full').waitFor();
    await page.getByRole('list', { name: 'Single runbook files' }).getByText('watched').waitFor();
    writeFileSync(`${single}.swp`, '# Disk really full\n\n1. Find the biggest files\n2. Rotate the logs\n3. Grow the volume\n');
    renameSync(`${single}.swp`, single);
    await library.getByText('Disk really full').waitFor();

    await postAlert();
    // a P1 rings: the engineer acknowledges it in the alert window first
    const alarm = page.getByRole('alertdialog', { name: 'Page alert' });
    await alarm.getByRole('button', { name: 'Acknowledge' }).click();
    await alarm.waitFor({ state: 'detached' });
    await nav.getByRole('button', { name: /^Pages/ }).click();
    const row = page.locator('.group-row', { hasText: 'KubePodCrashLooping' });
    await row.waitFor();
    await row.focus();
    await page.keyboard.press('Enter');
    const pane = page.getByRole('complementary', { name: 'Details' });
    await pane.getByText('Linked from the alert').or(pane.getByText("File named in the alert's runbook link")).waitFor();
    await pane.getByRole('button', { name: 'Start runbook' }).click();

    const checklist = page.getByRole('region', { name: 'Checklist for KubePodCrashLooping' });
    await checklist.waitFor();
    const steps = checklist.locator('li.checklist-step');
    expect(await steps.count()).toBeGreaterThanOrEqual(4);
    const ticked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const step = checklist.locator('li.checklist-step[data-status="pending"]').first();
      ticked.push((await step.getAttribute('data-step'))!);
      await step.getByRole('button', { name: 'Done', exact: true }).first().click();
      await checklist.locator(`li[data-step="${ticked[i]}"][data-status="done"]`).waitFor();
    }
    for (const id of ticked) await expect(checklist.locator(`li[data-step="${id}"] > .checklist-meta`).textContent()).resolves.toMatch(/^Done · done .+\d\d:\d\d:\d\d/);
    await checklist.getByText('3 of').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'runbook-checklist-1280.png') });
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'runbook-checklist-1024.png') });
    await page.setViewportSize({ width: 1280, height: 760 });

    // the incident, from the page
    await nav.getByRole('button', { name: /^Pages/ }).click();
    await row.focus();
    await page.keyboard.press('Enter');
    await pane.getByRole('button', { name: 'Make incident' }).click();
    const incident = page.getByRole('article', { name: 'KubePodCrashLooping' });
    await incident.waitFor();
    await incident.locator('li[data-kind="stepDone"]').nth(2).waitFor();
    const noteBox = incident.getByRole('textbox', { name: 'Note' });
    await noteBox.fill('Rolled back payments-api to v41');
    await noteBox.press('Enter');
    await incident.locator('li[data-kind="note"]', { hasText: 'Rolled back payments-api to v41' }).waitFor();
    await expect(noteBox.inputValue()).resolves.toBe('');
    await incident.getByRole('combobox', { name: 'Status' }).selectOption('resolved');
    await incident.locator('dd[data-metric="timeToResolve"]').filter({ hasNotText: 'not yet' }).waitFor();
    for (const m of ['timeToDetect', 'timeToAcknowledge', 'timeToMitigate', 'timeToResolve']) await expect(incident.locator(`dd[data-metric="${m}"]`).textContent()).resolves.not.toBe('not yet');
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-page-1280.png') });
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-page-1024.png') });
    await page.setViewportSize({ width: 1280, height: 760 });

    // the incident is resolved, so main no longer reminds about it
    await expect.poll(() => services.incidents.open().length).toBe(0);

    // the postmortem, prefilled, exported as PDF
    await page.getByRole('button', { name: 'Postmortem' }).click();
    const editor = page.getByRole('form', { name: /Postmortem: KubePodCrashLooping/ });
    await editor.waitFor();
    await editor.getByRole('textbox', { name: 'Summary' }).fill('payments-api crash looped after the v42 deploy; rolled back.');
    await page.getByText(/^Saved /).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'postmortem-editor-1280.png') });
    await editor.getByRole('button', { name: 'Save PDF…' }).click();
    await page.getByText(/^Saved to .*\.pdf$/).waitFor();
    const pdf = saved.find((f) => f.endsWith('.pdf'))!;
    expect(existsSync(pdf)).toBe(true);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    expect(text).toContain('payments-api crash looped after the v42 deploy');
    expect(text).toContain('OUTAGE BEGINS');
    // the steps' own timestamps, as stored, appear in the PDF's timeline
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('on-call-companion');
      const db: IDBDatabase = await new Promise((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const runs: Array<{ events: Array<{ kind: string; at: number }> }> = await new Promise((resolve) => {
        const req = db.transaction('runs').objectStore('runs').getAll();
        req.onsuccess = () => resolve(req.result);
      });
      db.close();
      return runs.flatMap((r) => r.events.filter((e) => e.kind === 'stepDone').map((e) => e.at));
    });
    expect(stored).toHaveLength(3);
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const at of stored) expect(text).toContain(formatReportTime(Math.floor(at / 1000) * 1000, zone));
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdf, path.join(ARTIFACTS, 'postmortem-pdf')]);
    expect(existsSync(path.join(ARTIFACTS, 'postmortem-pdf-1.png'))).toBe(true);
    writeFileSync(path.join(ARTIFACTS, 'postmortem.txt'), text);

    // the draft survives a restart of the window
    await page.reload();
    await nav.getByRole('button', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: /KubePodCrashLooping/ }).first().click();
    await page.getByRole('button', { name: 'Postmortem' }).click();
    await expect(page.getByRole('form', { name: /Postmortem: KubePodCrashLooping/ }).getByRole('textbox', { name: 'Summary' }).inputValue()).resolves.toBe('payments-api crash looped after the v42 deploy; rolled back.');
    expect(ui.consoleErrors.join('\n')).toBe('');
  }, 120_000);

  it('a malicious runbook is shown as text: no script, handler, frame, javascript: or data: link ever runs', async () => {
    const { page } = ui;
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.getByRole('navigation').getByRole('button', { name: 'Runbooks', exact: true }).click();
    await page.getByRole('navigation', { name: 'Runbook library' }).getByRole('button', { name: /Evil runbook/ }).click();
    const article = page.getByRole('article', { name: 'Evil runbook' });
    await article.waitFor();
    await article.getByText('<script>', { exact: false }).first().waitFor();
    const dom = await article.evaluate((el) => ({
      scripts: el.querySelectorAll('script').length,
      iframes: el.querySelectorAll('iframe').length,
      imgs: el.querySelectorAll('img').length,
      handlers: [...el.querySelectorAll('*')].filter((n) => [...n.attributes].some((a) => a.name.startsWith('on'))).length,
      hrefs: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
    }));
    expect(dom).toMatchObject({ scripts: 0, iframes: 0, imgs: 0, handlers: 0 });
    expect(dom.hrefs.filter((h) => /^(javascript|data):/i.test(h))).toEqual([]);
    for (const name of ['here', 'this']) {
      const link = article.getByText(name, { exact: true });
      if ((await link.count()) > 0) await link.first().click();
    }
    await page.getByRole('navigation').getByRole('button', { name: 'Runbooks', exact: true }).click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null)).toBeNull();
    expect(dialogs).toBe(0);
    expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/index\.html/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'runbook-malicious.png') });
    expect(readFileSync(path.join(ARTIFACTS, 'runbook-malicious.png')).length).toBeGreaterThan(1000);
  }, 60_000);

  it('the shift handover for three pages and one open incident is saved as PDF', async () => {
    const { page } = ui;
    await postAlert('HighLatency', 'warning');
    await postAlert('CertificateExpiring', 'info');
    const nav = page.getByRole('navigation');
    await nav.getByRole('button', { name: /^Pages/ }).click();
    await page.locator('.group-row', { hasText: 'CertificateExpiring' }).waitFor();
    await nav.getByRole('button', { name: 'Incidents' }).click();
    await page.getByRole('textbox', { name: 'New incident title' }).fill('Latency on checkout');
    await page.getByRole('button', { name: 'Open incident' }).click();
    await page.getByRole('article', { name: 'Latency on checkout' }).waitFor();
    await page.getByRole('button', { name: 'Shift handover' }).click();
    const handover = page.getByRole('article', { name: 'Shift handover' });
    await handover.waitFor();
    await handover.getByRole('textbox', { name: 'Notes' }).fill('Checkout latency is being watched; rollback of v42 holds.');
    await page.screenshot({ path: path.join(ARTIFACTS, 'handover-1280.png'), fullPage: true });
    await handover.getByRole('button', { name: 'Save PDF…' }).click();
    await page.getByText(/^Saved to .*handover.*\.pdf$/).waitFor();
    const pdf = saved.find((f) => /handover.*\.pdf$/.test(f))!;
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    writeFileSync(path.join(ARTIFACTS, 'handover.txt'), text);
    expect(text).toContain('Shift handover');
    expect(text).toMatch(/Total\s+3\s+0/);
    // the open incident's row (a narrow column may wrap its title)
    expect(text).toMatch(/Latency on\s+P2\s+Investigating\s+local/);
    expect(text).toContain('Checkout latency is being watched');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdf, path.join(ARTIFACTS, 'handover-pdf')]);
    expect(existsSync(path.join(ARTIFACTS, 'handover-pdf-1.png'))).toBe(true);
  }, 60_000);
});
