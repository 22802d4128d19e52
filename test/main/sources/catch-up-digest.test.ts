import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AwayDigest } from '../../../src/core/ipc-contract';
import { manualClock } from '../../helpers/manual-clock';
import { ALIVE_EVERY_MS, AWAY_IDS_CAP, createCatchUp, fileAwayStore, type CatchUpStatus } from '../../../src/main/sources/catch-up';

const T0 = Date.UTC(2026, 10, 21, 1, 0);
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function life(file: string, clock: ReturnType<typeof manualClock>, pages: Map<string, CatchUpStatus>) {
  const digests: AwayDigest[] = [];
  const kept: AwayDigest[] = [];
  const errors: string[] = [];
  let dismissed = 0;
  const catchUp = createCatchUp({
    timers: clock,
    now: clock.now,
    statuses: () => new Map(pages),
    busy: () => false,
    digest: (d, k) => {
      digests.push(d);
      kept.push(k);
    },
    dismissed: () => void dismissed++,
    store: fileAwayStore(file, (m) => void errors.push(m)),
    quietMs: 1_000,
  });
  return { catchUp, digests, kept, errors, dismissed: () => dismissed };
}

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-catch-up-'));
  dirs.push(dir);
  return { file: path.join(dir, 'catch-up.json'), clock: manualClock(T0), pages: new Map<string, CatchUpStatus>([['known', 'firing']]) };
}

describe('"While you were away": the last digest, kept in the data folder', () => {
  it('survives a restart with since-when, the counts and the pages (still firing first), until dismissed', async () => {
    const { file, clock, pages } = setup();
    const first = life(file, clock, pages);
    clock.advance(5 * ALIVE_EVERY_MS);
    first.catchUp.stop(); // the app quits at 01:05
    const quitAt = clock.now();

    clock.sleep(6 * 3_600_000);
    const second = life(file, clock, pages);
    expect(second.catchUp.last()).toBeNull();
    await second.catchUp.begin(Promise.resolve());
    pages.set('gone', 'resolved');
    pages.set('disk', 'firing');
    pages.set('cpu', 'acknowledged');
    second.catchUp.saw(['gone', 'disk', 'cpu', 'known']);
    clock.advance(1_000);
    const digest = { at: clock.now(), since: quitAt, pages: 3, stillFiring: 2, ids: ['disk', 'cpu', 'gone'] };
    expect(second.digests).toEqual([digest]);
    expect(second.catchUp.last()).toEqual(digest);
    second.catchUp.stop();

    const third = life(file, clock, pages);
    expect(third.catchUp.last()).toEqual(digest);
    third.catchUp.dismiss();
    expect(third.catchUp.last()).toBeNull();
    expect(third.dismissed()).toBe(1);
    third.catchUp.stop();
    expect(life(file, clock, pages).catchUp.last()).toBeNull();
    expect([...first.errors, ...second.errors, ...third.errors]).toEqual([]);
  });

  it('after sleep, "since" is the last minute the app was awake, not when it started', async () => {
    const { file, clock, pages } = setup();
    const app = life(file, clock, pages);
    clock.advance(30 * ALIVE_EVERY_MS + 20_000);
    const lastTick = T0 + 30 * ALIVE_EVERY_MS;
    clock.sleep(4 * 3_600_000);
    await app.catchUp.begin(Promise.resolve());
    pages.set('night', 'firing');
    app.catchUp.saw(['night']);
    clock.advance(1_000);
    expect(app.digests[0]).toMatchObject({ since: lastTick, pages: 1, stillFiring: 1, ids: ['night'] });
    app.catchUp.stop();
    expect(clock.pending()).toBe(0);
  });

  it('a second absence before the first digest was read adds to it: the section keeps both nights, the notification tells of the new one', async () => {
    const { file, clock, pages } = setup();
    const app = life(file, clock, pages);
    clock.advance(ALIVE_EVERY_MS);
    const firstSince = clock.now();
    clock.sleep(6 * 3_600_000);
    await app.catchUp.begin(Promise.resolve());
    pages.set('night1', 'firing');
    pages.set('brief', 'resolved');
    app.catchUp.saw(['night1', 'brief']);
    clock.advance(1_000);
    clock.sleep(3_600_000);
    await app.catchUp.begin(Promise.resolve());
    pages.set('night1', 'resolved');
    pages.set('night2', 'firing');
    app.catchUp.saw(['night1', 'night2']);
    clock.advance(1_000);
    expect(app.digests.map((d) => [d.pages, d.stillFiring])).toEqual([
      [2, 1],
      [2, 1],
    ]);
    expect(app.catchUp.last()).toMatchObject({ since: firstSince, pages: 3, stillFiring: 1, ids: ['night2', 'night1', 'brief'] });
    // the Pages view is told the merged digest, not only the new night
    expect(app.kept.at(-1)).toEqual(app.catchUp.last());
    app.catchUp.stop();
  });

  it('keeps 1,000 of many pages, still-firing ones first, with the true count', async () => {
    const { file, clock, pages } = setup();
    const app = life(file, clock, pages);
    await app.catchUp.begin(Promise.resolve());
    const ids = Array.from({ length: 1_500 }, (_, i) => `p${i}`);
    ids.forEach((id, i) => pages.set(id, i % 3 === 0 ? 'firing' : 'resolved'));
    app.catchUp.saw(ids);
    clock.advance(1_000);
    const digest = app.catchUp.last()!;
    expect(digest).toMatchObject({ pages: 1_500, stillFiring: 500 });
    expect(digest.ids).toHaveLength(AWAY_IDS_CAP);
    expect(digest.ids.slice(0, 500).every((id) => pages.get(id) === 'firing')).toBe(true);
    expect(new Set(digest.ids).size).toBe(AWAY_IDS_CAP);
    app.catchUp.stop();
    expect(life(file, clock, pages).catchUp.last()).toEqual(digest);
  });

  it('a damaged file is named and set aside: the app starts without a digest and writes a good file again', async () => {
    const { file, clock, pages } = setup();
    writeFileSync(file, '{"version": 1, "aliveAt": "yesterday"');
    const app = life(file, clock, pages);
    expect(app.catchUp.last()).toBeNull();
    expect(app.errors).toEqual([expect.stringContaining(`${file} is not valid JSON`)]);
    writeFileSync(file, JSON.stringify({ version: 1, aliveAt: 'yesterday', digest: null }));
    const again = life(file, clock, pages);
    expect(again.errors).toEqual([expect.stringMatching(/is not a valid catch-up file \(aliveAt: /)]);
    await again.catchUp.begin(Promise.resolve());
    pages.set('x', 'firing');
    again.catchUp.saw(['x']);
    clock.advance(1_000);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, digest: { pages: 1, since: null, ids: ['x'] } });
  });
});
