import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReportTime } from '../../src/core/reports/format';
import { prefillPostmortem, type Postmortem } from '../../src/core/reports/postmortem';
import { postmortemToHtml } from '../../src/core/reports/postmortem-html';
import { MIN, resolvedIncident, T0, translator } from '../core/reports/scenario';
import { CHROMIUM_ARGS } from './renderer-host';

const ARTIFACTS = path.resolve(process.cwd(), 'test-results');
const en = translator('en');
/** The right page margin of the print CSS (`@page { margin: 16mm 14mm }`), in PDF points. */
const RIGHT_MARGIN_PT = (14 / 25.4) * 72;

// text that offers no natural break: nothing but letters, digits and URL punctuation
const URL_600 = `https://grafana.example.com/d/checkout-errors/checkout?orgId=1&from=1772445600000&to=1772449200000&var-cluster=prod-eu-west-1&var-ns=checkout&viewPanel=${'a1b2c3d4e5'.repeat(60)}`.slice(0, 600);
const HOST_300 = `ip-10-42-7-19.${'checkoutworkerpoolalpha'.repeat(13)}.eu-west-1.compute.internal`.slice(0, 300);
const CODE_LINE = `kubectl -n checkout patch deployment/cart --type=json -p='[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.example.com/cart@sha256:${'0f'.repeat(120)}"}]'`;
const TITLE_WORD = `CheckoutCartServiceReplicaSetReconcileLoopFailure${'Again'.repeat(14)}`;
const WIDE_HEADER = Array.from({ length: 12 }, (_, i) => `RegionalAvailabilityZone${i + 1}`);
const WIDE_ROW = Array.from({ length: 12 }, (_, i) => `errors-${i + 1}-${'x'.repeat(30)}`);
const WIDE_TABLE = [`| ${WIDE_HEADER.join(' | ')} |`, `|${WIDE_HEADER.map(() => ' --- ').join('|')}|`, `| ${WIDE_ROW.join(' | ')} |`].join('\n');

function postmortem(over: Partial<Postmortem> = {}): Postmortem {
  const s = resolvedIncident();
  return { ...prefillPostmortem({ id: 'pm-wrap', incident: s.incident, timeline: s.timeline, runs: [s.run], authors: ['ann'], timeZone: 'UTC', t: en }, T0 + 60 * MIN), ...over };
}

function longPostmortem(): Postmortem {
  const base = postmortem();
  return {
    ...base,
    title: `${TITLE_WORD} in checkout`,
    owner: HOST_300,
    summary: `Errors started after the deploy; dashboard: ${URL_600}`,
    detection: `The alert fired for instance="${HOST_300}" first.`,
    resolution: `We rolled back with:\n\n\`\`\`sh\n${CODE_LINE}\n\`\`\`\n`,
    contributingFactors: `Errors per zone:\n\n${WIDE_TABLE}\n`,
    actionItems: [{ item: `Alert on ${HOST_300}`, type: 'prevent', owner: 'dora', due: '2026-03-16', ticket: URL_600 }],
    timeline: [...base.timeline, { at: T0 + 41 * MIN, by: 'ann', text: `Label instance=${HOST_300} see ${URL_600}`, marker: null }],
  };
}

/** Every field a user typed, as the characters that must all reach the PDF. */
const FIELDS: Record<string, string> = { url: URL_600, hostname: HOST_300, code: CODE_LINE, title: TITLE_WORD, wideHeader: WIDE_HEADER.join(''), wideRow: WIDE_ROW.join('') };

interface Word {
  xMin: number;
  xMax: number;
  text: string;
}

/** Words with their boxes per page, from `pdftotext -bbox`. */
function pdfWords(pdf: string): { width: number; words: Word[] }[] {
  const xhtml = execFileSync('pdftotext', ['-bbox', pdf, '-']).toString();
  const pages: { width: number; words: Word[] }[] = [];
  for (const m of xhtml.matchAll(/<page width="([\d.]+)" height="[\d.]+">([\s\S]*?)<\/page>/g)) {
    const words = [...m[2]!.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((w) => ({ xMin: +w[1]!, xMax: +w[2]!, text: w[3]! }));
    pages.push({ width: +m[1]!, words });
  }
  return pages;
}

/** The text of a PDF with all whitespace removed, so a value split over lines reads as one string again. */
function joinedText(pdf: string): string {
  return execFileSync('pdftotext', ['-raw', pdf, '-']).toString().replace(/\s+/g, '');
}

/** Columns of a grayscale PGM (P5) that hold any pixel darker than near-white. */
function inkedColumns(pgm: Buffer): { width: number; inked: Set<number> } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const [width, height] = [+header[1]!, +header[2]!];
  const data = pgm.subarray(header[0].length);
  const inked = new Set<number>();
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (data[y * width + x]! < 245) inked.add(x);
  return { width, inked };
}

describe('a postmortem with fields too long for the PDF layout (Chromium page.pdf, as printToPDF)', () => {
  let browser: Browser;
  let work: string;
  const pdfs: Record<string, string> = {};

  async function render(name: string, html: string): Promise<string> {
    const tab = await browser.newPage();
    try {
      await tab.setContent(html, { waitUntil: 'load' });
      const file = path.join(work, `${name}.pdf`);
      // the options Electron's printToPDF gets in src/main/electron/report-export.ts
      writeFileSync(file, await tab.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
      return file;
    } finally {
      await tab.close();
    }
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    work = mkdtempSync(path.join(tmpdir(), 'occ-pdf-wrap-'));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    pdfs.long = await render('long', postmortemToHtml(longPostmortem(), en, 'en'));
    pdfs.plain = await render('plain', postmortemToHtml(postmortem(), en, 'en'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('keeps every character of every long field (read back across line breaks)', () => {
    const text = joinedText(pdfs.long!);
    for (const [name, value] of Object.entries(FIELDS)) {
      expect({ name, found: text.includes(value.replace(/\s+/g, '')) }).toEqual({ name, found: true });
    }
    // the URL appears three times: summary, action item ticket, timeline event
    expect(text.split(URL_600).length - 1).toBe(3);
    expect(text.split(HOST_300).length - 1).toBeGreaterThanOrEqual(4);
  });

  it('draws no word past the right margin on any page', () => {
    const pages = pdfWords(pdfs.long!);
    expect(pages.length).toBeGreaterThan(1);
    const over = pages.flatMap((p, i) => p.words.filter((w) => w.xMax > p.width - RIGHT_MARGIN_PT + 0.5).map((w) => `page ${i + 1}: ${w.text.slice(0, 40)} ends at ${w.xMax}`));
    expect(over).toEqual([]);
  });

  it('keeps each timestamp of the timeline and the runbook steps on one line, long fields or not', () => {
    for (const [name, pm] of [['long', longPostmortem()], ['plain', postmortem()]] as const) {
      const lines = execFileSync('pdftotext', ['-layout', pdfs[name]!, '-']).toString();
      const times = [...pm.timeline, ...pm.runbookSteps].map((e) => formatReportTime(e.at, pm.timeZone));
      expect(times.length).toBeGreaterThan(5);
      expect(times.filter((time) => !lines.includes(time))).toEqual([]);
    }
  });

  it('does not shrink the page to fit: the same heading is the same size as in a plain postmortem', () => {
    const box = (pdf: string) => pdfWords(pdf)[0]!.words.find((w) => w.text === 'blameless:')!;
    const [long, plain] = [box(pdfs.long!), box(pdfs.plain!)];
    expect(long.xMax - long.xMin).toBeCloseTo(plain.xMax - plain.xMin, 1);
  });

  it('leaves the right margin of every page image white (pdftoppm)', () => {
    const prefix = path.join(work, 'long');
    execFileSync('pdftoppm', ['-gray', '-r', '60', prefix + '.pdf', prefix]);
    execFileSync('pdftoppm', ['-png', '-r', '80', pdfs.long!, path.join(ARTIFACTS, 'postmortem-long-fields')]);
    const pages = pdfWords(pdfs.long!).length;
    for (let p = 1; p <= pages; p++) {
      const pgm = readFileSync(`${prefix}-${String(p).padStart(String(pages).length, '0')}.pgm`);
      const { width, inked } = inkedColumns(pgm);
      // the margin at 60 dpi, less one pixel for anti-aliasing at the content edge
      const marginPx = Math.floor((14 / 25.4) * 60) - 1;
      const inMargin = [...inked].filter((x) => x >= width - marginPx);
      expect({ page: p, inMargin }).toEqual({ page: p, inMargin: [] });
      // and the page is not blank: there is content up to near the margin
      expect(Math.max(...inked)).toBeGreaterThan(width / 2);
    }
  });
});
