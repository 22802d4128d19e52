import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/core/ipc-contract';
import { delivery, signal } from '../helpers/fixtures';
import { CHROMIUM_ARGS } from './renderer-host';

// The page store's fast path (pages main calls new are added without a read, and a wrong hint makes the
// add fail and the batch be redone) must hold on Chromium's IndexedDB: there a transaction commits as
// soon as no request is in flight, which fake-indexeddb does not model.
let browser: Browser;
let page: Page;
const outDir = mkdtempSync(path.join(tmpdir(), 'occ-idb-bundle-'));

beforeAll(async () => {
  await build({
    configFile: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, minify: false, lib: { entry: path.resolve('test/e2e/idb/pages-repo-entry.ts'), formats: ['iife'], name: 'pagesRepo', fileName: () => 'repo.js' } },
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.route('http://idb.test/**', (r) => r.fulfill({ body: '<!doctype html><title>idb</title>', contentType: 'text/html' }));
  await page.goto('http://idb.test/');
  await page.addScriptTag({ content: readFileSync(path.join(outDir, 'repo.js'), 'utf8') });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(outDir, { recursive: true, force: true });
});

let n = 0;
const storeAll = (batches: Delivery[][]) => page.evaluate(([name, b]) => (window as unknown as { storeAll(n: string, b: Delivery[][]): Promise<unknown> }).storeAll(name, b), [`db-${++n}`, batches] as const);
const withoutHints = (batches: Delivery[][]) => batches.map((b) => b.map((d) => ({ ...d, newIds: [] })));

describe('the page store on Chromium IndexedDB', () => {
  it('stored pages are fsynced by Chromium before main drops its copy: write transactions are "strict", not the default "relaxed"', async () => {
    // the window confirms after the commit and main then forgets the delivery; a relaxed commit could
    // still be lost in a power cut, and with it the page's history
    expect(await page.evaluate((name) => (window as unknown as { writeDurability(n: string): Promise<string> }).writeDurability(name), `db-${++n}`)).toBe('strict');
  });

  it('a storm of new pages, then the same alerts resolved under a wrong "new" hint: as if no hint was given', async () => {
    const storm = Array.from({ length: 3 }, (_, b) => [
      delivery({
        id: `s${b}`,
        receivedAt: 1_000,
        signals: Array.from({ length: 500 }, (_, i) => signal({ id: `p${b * 500 + i}`, groupKey: `g${b % 2}` })),
        events: Array.from({ length: 500 }, (_, i) => ({ pageId: `p${b * 500 + i}`, kind: 'notified' as const, at: 1_001 })),
        newIds: Array.from({ length: 500 }, (_, i) => `p${b * 500 + i}`),
      }),
    ]);
    const resolvedWrongly = [0, 1].map((b) => [
      delivery({
        id: `r${b}`,
        receivedAt: 9_000,
        signals: Array.from({ length: 500 }, (_, i) => signal({ id: `p${b * 500 + i}`, groupKey: `g${b % 2}`, status: 'resolved', endsAt: 9_000 })),
        newIds: Array.from({ length: 500 }, (_, i) => `p${b * 500 + i}`),
      }),
    ]);
    const hinted = (await storeAll([...storm, ...resolvedWrongly])) as { pages: Array<{ status: string }>; timelines: unknown[][] };
    expect(hinted.pages).toHaveLength(1_500);
    expect(hinted.pages.filter((p) => p.status === 'resolved')).toHaveLength(1_000);
    expect(hinted.timelines.every((t) => t.length >= 2)).toBe(true);
    expect(hinted).toEqual(await storeAll(withoutHints([...storm, ...resolvedWrongly])));
  }, 60_000);

  it('any sequence of signals and acknowledgements with any hints stores what no hint stores', async () => {
    const arbStep = fc.record({
      sigs: fc.array(fc.record({ n: fc.integer({ min: 0, max: 9 }), resolved: fc.boolean(), hinted: fc.boolean() }), { maxLength: 5 }),
      ack: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(arbStep, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), async (steps) => {
        let d = 0;
        const batches = steps.map((batch) =>
          batch.map((step) => {
            d++;
            return delivery({
              id: `d${d}`,
              receivedAt: d * 10,
              signals: step.sigs.map((x) => signal({ id: `p${x.n}`, groupKey: x.n % 3 ? 'g' : '', status: x.resolved ? 'resolved' : 'firing', endsAt: x.resolved ? d * 10 : null, startsAt: d * 10 - 5 })),
              commands: step.ack.length > 0 ? [{ type: 'acknowledge', ids: step.ack.map((i) => `p${i}`), at: d * 10, by: 'me' }] : [],
              newIds: step.sigs.filter((x) => x.hinted).map((x) => `p${x.n}`),
            });
          }),
        );
        expect(await storeAll(batches)).toEqual(await storeAll(withoutHints(batches)));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
