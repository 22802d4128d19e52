import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEARTBEAT_MATCHERS } from '../../src/core/pager/heartbeat';
import type { PagerInput, PagerPolicy } from '../../src/core/pager/live-state';
import { createPagerStore } from '../../src/main/services/pager-store';
import { signal } from '../helpers/fixtures';

const policy: PagerPolicy = { coalesceMs: 10_000, heartbeats: DEFAULT_HEARTBEAT_MATCHERS, keepResolvedMs: 7 * 86_400_000 };
const dir = () => mkdtempSync(path.join(tmpdir(), 'occ-pager-'));
const fire = (at: number, id: string): PagerInput => ({ type: 'signals', at, signals: [signal({ id, fingerprint: id })], groups: [] });

function open(d: string) {
  const problems: string[] = [];
  const store = createPagerStore(d, () => policy, (m) => problems.push(m));
  return { store, problems };
}

describe('pager store', () => {
  it('remembers what rang and what was acknowledged across a restart, from the journal alone', () => {
    const d = dir();
    const { store } = open(d);
    for (const input of [fire(1_000, 'a'), fire(1_000, 'b'), { type: 'acknowledge', at: 2_000, target: { ids: ['b'] }, by: 'me' } as PagerInput]) {
      store.apply(input);
      store.record(input);
    }
    const again = open(d).store;
    expect(again.state().pages.get('a')?.status).toBe('firing');
    expect(again.state().pages.get('b')).toMatchObject({ status: 'acknowledged', acknowledgedAt: 2_000 });
    expect(again.apply(fire(3_000, 'a')).effects.filter((e) => e.type === 'notify')).toEqual([]);
  });

  it('an input applied but not recorded (a crash before the journal write) rings again after the restart', () => {
    const d = dir();
    const { store } = open(d);
    expect(store.apply(fire(1_000, 'a')).effects.some((e) => e.type === 'notify')).toBe(true);
    const again = open(d).store;
    expect(again.apply(fire(1_000, 'a')).effects.some((e) => e.type === 'notify')).toBe(true);
  });

  it('compacts into a snapshot and keeps the state through it', () => {
    const d = dir();
    const { store } = open(d);
    store.apply(fire(1_000, 'a'));
    store.record(fire(1_000, 'a'));
    store.compact();
    expect(readFileSync(path.join(d, 'pager-journal.jsonl'), 'utf8')).toBe('');
    expect(open(d).store.state().pages.has('a')).toBe(true);
  });

  it('skips journal lines that are null, numbers, strings, torn or unknown, and reports each', () => {
    const d = dir();
    const { store } = open(d);
    store.apply(fire(1_000, 'a'));
    store.record(fire(1_000, 'a'));
    appendFileSync(path.join(d, 'pager-journal.jsonl'), `null\n7\n"x"\n{"type":"boom"}\n${JSON.stringify(fire(2_000, 'b'))}\n{"type":"sig`);
    const { store: again, problems } = open(d);
    expect([...again.state().pages.keys()].sort()).toEqual(['a', 'b']);
    expect(problems).toHaveLength(5);
  });

  it('a broken snapshot is reported and the journal still replays', () => {
    const d = dir();
    writeFileSync(path.join(d, 'pager-state.json'), '{"version":1,"pages":[');
    writeFileSync(path.join(d, 'pager-journal.jsonl'), `${JSON.stringify(fire(1_000, 'a'))}\n`);
    const { store, problems } = open(d);
    expect(problems[0]).toMatch(/pager-state\.json: invalid JSON/);
    expect(store.state().pages.has('a')).toBe(true);
  });

  it('a fresh data folder asks to be seeded; an existing one does not', () => {
    const d = dir();
    const { store } = open(d);
    expect(store.state().seeded).toBe(false);
    const seed: PagerInput = { type: 'seed', at: 1, pages: [], done: true };
    store.apply(seed);
    store.record(seed);
    expect(open(d).store.state().seeded).toBe(true);
  });

  it('keeps working in memory when the folder cannot be written, and says so', () => {
    const blocker = path.join(dir(), 'file');
    writeFileSync(blocker, '');
    const { store, problems } = open(path.join(blocker, 'data'));
    store.apply(fire(1_000, 'a'));
    store.record(fire(1_000, 'a'));
    expect(store.state().pages.has('a')).toBe(true);
    expect(store.storageError()).toMatch(/kept in memory only/);
    expect(problems.some((p) => /kept in memory only/.test(p))).toBe(true);
  });
});
