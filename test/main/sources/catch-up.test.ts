import { describe, expect, it } from 'vitest';
import { createCatchUp, type CatchUpStatus } from '../../../src/main/sources/catch-up';
import { manualClock } from '../../helpers/manual-clock';

const manualTimers = () => manualClock(0);

function setup(busy = () => false) {
  const timers = manualTimers();
  const pages = new Map<string, CatchUpStatus>([['known-firing', 'firing']]);
  const digests: Array<[number, number]> = [];
  const catchUp = createCatchUp({ timers, now: () => 0, statuses: () => new Map(pages), busy, digest: (d) => void digests.push([d.pages, d.stillFiring]), quietMs: 1_000, maxMs: 30_000 });
  return { timers, pages, digests, catchUp };
}

describe('catch-up after sleep', () => {
  it('sums up what changed while away in one digest once it is quiet, not one per page', async () => {
    const { timers, pages, digests, catchUp } = setup();
    await catchUp.begin(Promise.resolve());
    for (let i = 0; i < 14; i++) {
      pages.set(`new-${i}`, i < 3 ? 'firing' : 'resolved');
      catchUp.saw([`new-${i}`]);
      timers.advance(500);
    }
    // the page already known and still firing was only polled again: not news
    catchUp.saw(['known-firing']);
    expect(digests).toEqual([]);
    expect(catchUp.active()).toBe(true);
    timers.advance(1_000);
    expect(digests).toEqual([[14, 3]]);
    expect(catchUp.active()).toBe(false);
    // after the catch-up, pages are ordinary again
    pages.set('later', 'firing');
    catchUp.saw(['later']);
    timers.advance(5_000);
    expect(digests).toHaveLength(1);
  });

  it('sends nothing when nothing changed, and waits while a relay is still connecting (up to its limit)', async () => {
    let connecting = true;
    const { timers, pages, digests, catchUp } = setup(() => connecting);
    await catchUp.begin(Promise.resolve());
    timers.advance(5_000);
    expect(catchUp.active()).toBe(true);
    pages.set('replayed', 'acknowledged');
    catchUp.saw(['replayed']);
    connecting = false;
    timers.advance(1_000);
    expect(digests).toEqual([[1, 1]]);

    await catchUp.begin(Promise.resolve());
    timers.advance(1_000);
    expect(digests).toHaveLength(1);
    expect(catchUp.active()).toBe(false);
  });

  it('a relay that never connects cannot hold the digest back past the limit', async () => {
    const { timers, pages, digests, catchUp } = setup(() => true);
    await catchUp.begin(Promise.resolve());
    pages.set('p', 'firing');
    catchUp.saw(['p']);
    timers.advance(30_000);
    expect(digests).toEqual([[1, 1]]);
  });
});
