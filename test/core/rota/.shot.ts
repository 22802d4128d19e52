import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { RendererEvents } from '../../../src/main/adapters';
import { isAppUrl } from '../../../src/main/security';
import { startMainServices } from '../../../src/main/services';
import { testDataDir } from '../../helpers/main-harness';
import { startRenderer } from '../../e2e/renderer-host';

const NOW = Date.parse('2026-03-16T10:00:00Z');
const FEED = readFileSync('/work/main/test/fixtures/ical/pagerduty-like.ics', 'utf8');
const GOALERT = readFileSync('/work/main/test/fixtures/ical/goalert-schedule.ics', 'utf8').replace('DTSTART:20260309T090000Z', 'DTSTART:20260305T090000Z');
const feedServer = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end(req.url?.includes('goalert') ? GOALERT : FEED));
await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(feedServer.address() as { port: number }).port}`;
const dataDir = testDataDir();
let events: RendererEvents | null = null;
let appUrl = '';
const services = await startMainServices({
  dataDir,
  notifier: { notify: () => undefined },
  tray: { setAttention: () => undefined, setRotaLine: () => undefined },
  events: { emit: (c, p) => events?.emit(c, p) },
  clock: { now: () => NOW },
  logger: { info: () => undefined, error: (m) => console.error(m) },
  isTrustedSender: (url) => isAppUrl(url, appUrl),
  openExternal: () => undefined,
});
const ui = await startRenderer({ router: () => services.router, onAppUrl: (u) => (appUrl = u), timezoneId: 'Europe/Berlin', fixedTime: NOW });
events = ui.events;
const { page } = ui;
await page.setViewportSize({ width: 1024, height: 640 });
await page.getByRole('button', { name: 'Rota' }).click();
await page.getByRole('tab', { name: 'Sources' }).click();
for (const [name, url] of [['PagerDuty platform', `${base}/platform.ics`], ['GoAlert', `${base}/goalert.ics`]]) {
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name!);
  await page.getByRole('textbox', { name: 'Feed URL' }).fill(url!);
  await page.getByRole('button', { name: 'Add' }).first().click();
  await page.waitForTimeout(300);
}
await page.getByRole('textbox', { name: /Folder/ }).fill('/tmp/rota-shot/root/ops');
await page.getByRole('button', { name: 'Add' }).nth(1).click();
await page.waitForTimeout(1500);
await page.screenshot({ path: '/tmp/rota-shot/sources.png' });
await page.getByRole('button', { name: 'Now' }).click();
await page.getByRole('textbox', { name: 'I am' }).fill('Hana Ito');
await page.getByRole('button', { name: 'Save' }).click();
await page.waitForTimeout(500);
await page.screenshot({ path: '/tmp/rota-shot/now.png' });
await page.getByRole('button', { name: 'Rota' }).click();
await page.waitForTimeout(800);
await page.screenshot({ path: '/tmp/rota-shot/week.png' });
await page.getByRole('button', { name: 'Month' }).click();
await page.waitForTimeout(800);
await page.screenshot({ path: '/tmp/rota-shot/month.png' });
console.log('console errors:', ui.consoleErrors);
await ui.stop();
await services.stop();
feedServer.close();
rmSync(dataDir, { recursive: true, force: true });
