import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/core/ipc-contract';
import { PULL_MAX_SIGNALS } from '../../src/core/ipc-contract';
import { createOutbox, PULL_MAX_DELIVERIES } from '../../src/main/services/outbox';
import { signal } from '../helpers/fixtures';
import { failingFsync } from '../helpers/failing-fsync';

const delivery = (id: string, signals = 1): Delivery => ({
  id,
  receivedAt: 1,
  notifiedAt: null,
  signals: Array.from({ length: signals }, (_, i) => signal({ id: `alertmanager:${id}-${i}` })),
  commands: [],
  events: [],
  groups: [],
  newIds: [],
});

describe('outbox', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-outbox-'));
  const file = path.join(dir, 'outbox.jsonl');
  afterEach(() => rmSync(file, { force: true }));

  it('keeps deliveries across a restart until they are confirmed', () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    a.add(delivery('d2'));
    a.confirm(['d1']);
    const b = createOutbox(file);
    expect(b.pending().map((d) => d.id)).toEqual(['d2']);
    expect(b.pending()[0]).toEqual(delivery('d2'));
  });

  it('marks say what a window has stored: through a mark only once every delivery up to it is confirmed, in any order', async () => {
    const a = createOutbox(file);
    expect(a.confirmedThrough()).toBe(0);
    a.add(delivery('d1'));
    const afterD1 = a.mark();
    a.add(delivery('d2'));
    const afterD2 = a.mark();
    let d1Stored = false;
    const waiting = a.whenConfirmed(afterD1).then(() => (d1Stored = true));
    // the later one confirmed first: d1 is still not in the window
    a.confirm(['d2']);
    await Promise.resolve();
    expect(d1Stored).toBe(false);
    expect(a.confirmedThrough()).toBe(0);
    a.confirm(['d1']);
    await waiting;
    expect(a.confirmedThrough()).toBe(afterD2);
    // nothing pending: any mark so far is reached at once
    await expect(a.whenConfirmed(afterD2)).resolves.toBeUndefined();
  });

  it('a wait for the window gives up when told (quit), and a restart counts the journal\'s deliveries as not yet stored', async () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    const stop = new AbortController();
    const waiting = a.whenConfirmed(a.mark(), stop.signal);
    stop.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    const b = createOutbox(file);
    expect(b.mark()).toBe(1);
    expect(b.confirmedThrough()).toBe(0);
    b.confirm(['d1']);
    expect(b.confirmedThrough()).toBe(1);
  });

  it('adding the same delivery twice keeps one', () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    a.add(delivery('d1'));
    expect(createOutbox(file).pending()).toHaveLength(1);
  });

  it('confirming unknown ids changes nothing', () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    expect(a.confirm(['nope'])).toBe(0);
    expect(createOutbox(file).pending()).toHaveLength(1);
  });

  it('skips a torn last line from a crash mid-write and keeps the rest', () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    appendFileSync(file, '{"add":{"id":"d2","recei');
    const problems: string[] = [];
    const b = createOutbox(file, (m) => problems.push(m));
    expect(b.pending().map((d) => d.id)).toEqual(['d1']);
    expect(problems).toEqual([expect.stringMatching(/^outbox\.jsonl line 2: unreadable entry skipped/)]);
  });

  it('compacts to an empty file once everything is confirmed', () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    a.confirm(['d1']);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('an add is on disk once durable() resolves, and is read back after a restart', async () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    a.add(delivery('d2'));
    await a.durable();
    expect(createOutbox(file).pending().map((d) => d.id)).toEqual(['d1', 'd2']);
  });

  it('starts whatever the journal holds: JSON null, numbers, strings and foreign objects are skipped and reported', () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    appendFileSync(file, 'null\n42\n"text"\n[]\n{"something":"else"}\n{"add":{"id":""}}\n');
    a.add(delivery('d2'));
    const problems: string[] = [];
    const b = createOutbox(file, (m) => problems.push(m));
    expect(b.pending().map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/line 2: not a journal entry/);
  });

  it('reads a journal entry written before deliveries carried commands', () => {
    const old = { id: 'old', receivedAt: 1, notifiedAt: 2, signals: [signal()] };
    writeFileSync(file, `${JSON.stringify({ add: old })}\n`);
    expect(createOutbox(file).pending()).toEqual([{ ...old, commands: [], events: [], groups: [], newIds: [] }]);
  });

  it('drains a backlog of 20,000 deliveries in bounded batches, each confirmed as pulled', () => {
    // as a crash would leave it: 20,000 accepted webhooks the renderer never confirmed
    writeFileSync(file, Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ add: delivery(`d${i}`) })).join('\n') + '\n');
    const b = createOutbox(file);
    let batches = 0;
    const seen = new Set<string>();
    while (b.size() > 0) {
      const batch = b.pending();
      expect(batch.length).toBeLessThanOrEqual(PULL_MAX_DELIVERIES);
      for (const d of batch) seen.add(d.id);
      expect(b.confirm(batch.map((d) => d.id))).toBe(batch.length);
      batches++;
    }
    expect(seen.size).toBe(20_000);
    expect(batches).toBe(20_000 / PULL_MAX_DELIVERIES);
    expect(createOutbox(file).size()).toBe(0);
  });

  it('hands out what follows a delivery the window is still storing, or everything if that one is gone', () => {
    const b = createOutbox(file);
    for (const id of ['d1', 'd2', 'd3']) b.add(delivery(id));
    expect(b.pending('d1').map((d) => d.id)).toEqual(['d2', 'd3']);
    expect(b.pending('d3')).toEqual([]);
    b.confirm(['d1']);
    // confirmed (or never known): nothing is skipped, so nothing can be missed
    expect(b.pending('d1').map((d) => d.id)).toEqual(['d2', 'd3']);
    expect(b.pending('nope').map((d) => d.id)).toEqual(['d2', 'd3']);
    expect(b.pending(null).map((d) => d.id)).toEqual(['d2', 'd3']);
  });

  it('marks a delivery neverPulled only when no window can have stored it: its first hand-out since start-up', () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    a.add({ ...delivery('d2'), neverPulled: true });
    const marks = (list: Delivery[]) => list.map((d) => [d.id, d.neverPulled === true]);
    expect(marks(a.pending())).toEqual([
      ['d1', true],
      ['d2', true],
    ]);
    // handed out before (a reload, a failed store): the window must look for its receipt
    expect(marks(a.pending())).toEqual([
      ['d1', false],
      ['d2', false],
    ]);
    a.add(delivery('d3'));
    expect(marks(a.pending('d2'))).toEqual([['d3', true]]);
    a.add(delivery('d4'));
    // the journal never says so: after a restart, a window may have stored any of them before the crash
    expect(readFileSync(file, 'utf8')).not.toContain('neverPulled');
    // a journal line claiming the mark (hand-edited, or from a bug) is not believed either
    appendFileSync(file, `${JSON.stringify({ add: { ...delivery('d5'), neverPulled: true } })}\n`);
    expect(marks(createOutbox(file).pending())).toEqual([
      ['d1', false],
      ['d2', false],
      ['d3', false],
      ['d4', false],
      ['d5', false],
    ]);
  });

  it('hands a webhook of 1,010 alerts out in slices (no reply big enough to stall the window), journaled together', () => {
    const a = createOutbox(file);
    a.add(delivery('huge', 2 * PULL_MAX_SIGNALS + 10));
    a.add(delivery('small'));
    const pulls: string[][] = [];
    // a restart in the middle changes nothing: the slices were journaled with the delivery
    let outbox = a;
    for (let i = 0; i < 5 && outbox.size() > 0; i++) {
      const batch = outbox.pending();
      expect(batch.reduce((n, d) => n + d.signals.length, 0)).toBeLessThanOrEqual(PULL_MAX_SIGNALS);
      pulls.push(batch.map((d) => d.id));
      outbox.confirm(batch.map((d) => d.id));
      if (i === 0) outbox = createOutbox(file);
    }
    expect(pulls).toEqual([['huge/0'], ['huge/1'], ['huge/2', 'small']]);
  });

  it('after a failed fsync an add is not durable until the journal is rewritten whole; once the disk recovers, durable() does that', async () => {
    const disk = failingFsync();
    try {
      const problems: string[] = [];
      const box = createOutbox(file, (m) => problems.push(m));
      box.add(delivery('d1'));
      await expect(box.durable()).rejects.toThrow(/EIO/);
      expect(box.storageError()).toMatch(/EIO.*kept in memory only/);
      disk.failing = false;
      // nothing new was added: durable() itself rewrites the journal (with its own fsync) and then resolves
      await expect(box.durable()).resolves.toBeUndefined();
      expect(box.storageError()).toBeNull();
      expect(createOutbox(file).pending().map((d) => d.id)).toEqual(['d1']);
      expect(problems).toEqual([expect.stringMatching(/^cannot write .*EIO/)]);
    } finally {
      disk.restore();
    }
  });

  it('keeps working in memory, and says so, when the data folder cannot be written', () => {
    // tests run as root, which ignores permissions: a "folder" that is a file cannot be written by anyone
    const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'occ-ro-')), 'not-a-folder');
    writeFileSync(blocker, '');
    const problems: string[] = [];
    const box = createOutbox(path.join(blocker, 'outbox.jsonl'), (m) => problems.push(m));
    box.add(delivery('d1'));
    expect(box.pending().map((d) => d.id)).toEqual(['d1']);
    expect(box.storageError()).toMatch(/cannot write .*outbox\.jsonl.*kept in memory only/);
    expect(problems).toEqual([expect.stringMatching(/^cannot read/), expect.stringMatching(/^cannot write/)]);
  });

  it('starts on a journal over 512 MiB: the unusable region is skipped and reported, later entries are kept', () => {
    const a = createOutbox(file);
    a.add(delivery('before'));
    // a sparse 600 MiB run of NUL bytes with no newline, as a disk error might leave it
    truncateSync(file, statSync(file).size + 600 * 1024 * 1024);
    appendFileSync(file, `\n${JSON.stringify({ add: delivery('after') })}\n`);
    const problems: string[] = [];
    const b = createOutbox(file, (m) => problems.push(m));
    expect(b.pending().map((d) => d.id)).toEqual(['before', 'after']);
    expect(problems).toEqual([expect.stringMatching(/line 2: unreadable entry skipped \(longer than/)]);
  });
});
