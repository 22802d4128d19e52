import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SettingsView } from '../../../../src/core/ipc-contract';
import type {} from '../../../../src/renderer/bridge';
import { resetAcks, UNDO_MS, useAckStore } from '../../../../src/renderer/features/pages/ack-store';
import { fakeApi } from '../../../helpers/fake-api';

const ack = (key: string) => useAckStore.getState().acks[key];
const flush = () => new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => vi.waitFor(() => undefined));

describe('acknowledgements through main, with Undo', () => {
  let fake: ReturnType<typeof fakeApi>;
  beforeEach(() => {
    resetAcks();
    fake = fakeApi({} as SettingsView);
    window.oncall = fake.api;
  });
  afterEach(() => vi.useRealTimers());

  it('Undo of an acknowledgement main has not answered yet waits for it, then takes it back', async () => {
    let answer: (v: { acknowledged: number; ids: string[] }) => void = () => undefined;
    // the bridge wraps each api object once: overrides go into a new one
    window.oncall = {
      ...fake.api,
      acknowledgePages: (target) =>
        new Promise((resolve) => {
          fake.acknowledged.push(target);
          answer = (value) => resolve({ ok: true, value });
        }),
    };
    useAckStore.getState().acknowledge('g:x', ['a', 'b'], 1);
    expect(ack('g:x')).toMatchObject({ phase: 'sending', undoable: true });
    useAckStore.getState().undo('g:x');
    expect(ack('g:x')!.phase).toBe('undoing');
    await flush();
    expect(fake.unacknowledged).toEqual([]);
    answer({ acknowledged: 2, ids: ['a', 'b'] });
    await vi.waitFor(() => expect(fake.unacknowledged).toEqual([['a', 'b']]));
    // main took the Undo: once the store no longer shows them acknowledged, the row is plain again
    await vi.waitFor(() => expect(ack('g:x')!.settled).toBe(true));
    useAckStore.getState().settle(() => 'acknowledged');
    expect(ack('g:x')).toBeDefined();
    useAckStore.getState().settle(() => 'firing');
    expect(ack('g:x')).toBeUndefined();
  });

  it('Undo takes back only what this acknowledgement changed: a page the tray acknowledged just before stays acknowledged', async () => {
    window.oncall = {
      ...fake.api,
      // main changed only b: a was acknowledged from the tray a moment earlier
      acknowledgePages: async (target) => {
        fake.acknowledged.push(target);
        return { ok: true, value: { acknowledged: 1, ids: ['b'] } };
      },
    };
    useAckStore.getState().acknowledge('g:x', ['a', 'b'], 1);
    await vi.waitFor(() => expect(ack('g:x')!.phase).toBe('sent'));
    useAckStore.getState().undo('g:x');
    await vi.waitFor(() => expect(fake.unacknowledged).toEqual([['b']]));
    // once b shows firing again the row lets go, though a stays acknowledged
    await vi.waitFor(() => expect(ack('g:x')!.settled).toBe(true));
    useAckStore.getState().settle((id) => (id === 'a' ? 'acknowledged' : 'firing'));
    expect(ack('g:x')).toBeUndefined();
    // nothing changed at all: Undo has nothing to take back and the row lets go
    window.oncall = { ...fake.api, acknowledgePages: async () => ({ ok: true, value: { acknowledged: 0, ids: [] } }) };
    useAckStore.getState().acknowledge('g:y', ['c'], 1);
    await vi.waitFor(() => expect(ack('g:y')!.phase).toBe('sent'));
    useAckStore.getState().undo('g:y');
    await vi.waitFor(() => expect(ack('g:y')).toBeUndefined());
    expect(fake.unacknowledged).toEqual([['b']]);
  });

  it('a refused Undo shows the error, and Retry asks main to take it back again', async () => {
    window.oncall = { ...fake.api, unacknowledgePages: async () => ({ ok: false, error: { code: 'generic', params: { message: 'main is busy' } } }) };
    useAckStore.getState().acknowledge('p:a', ['a'], 1);
    await vi.waitFor(() => expect(ack('p:a')!.phase).toBe('sent'));
    useAckStore.getState().undo('p:a');
    await vi.waitFor(() => expect(ack('p:a')).toMatchObject({ phase: 'failed', failedAction: 'unacknowledge' }));
    expect(ack('p:a')!.error).toBeTruthy();
    const calls: string[][] = [];
    window.oncall = {
      ...fake.api,
      unacknowledgePages: async ({ ids }) => {
        calls.push(ids);
        return { ok: true, value: { unacknowledged: ids.length } };
      },
    };
    useAckStore.getState().retry('p:a');
    await vi.waitFor(() => expect(calls).toEqual([['a']]));
    expect(fake.acknowledged).toHaveLength(1);
  });

  it('Undo is offered for 10 s; after that a confirmed acknowledgement leaves the store', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    useAckStore.getState().acknowledge('p:a', ['a'], 1);
    await vi.waitFor(() => expect(ack('p:a')!.phase).toBe('sent'));
    useAckStore.getState().settle(() => 'acknowledged');
    expect(ack('p:a')).toMatchObject({ settled: true, undoable: true });
    vi.advanceTimersByTime(UNDO_MS);
    expect(ack('p:a')).toBeUndefined();
    // nothing to undo any more
    useAckStore.getState().undo('p:a');
    expect(fake.unacknowledged).toEqual([]);
  });

  it('a group bigger than one request goes to main in slices of 10,000', async () => {
    const ids = Array.from({ length: 25_000 }, (_, i) => `p${i}`);
    useAckStore.getState().acknowledge('all', ids, 1);
    await vi.waitFor(() => expect(ack('all')!.phase).toBe('sent'));
    expect(fake.acknowledged.map((t) => ('ids' in t ? t.ids.length : 0))).toEqual([10_000, 10_000, 5_000]);
  });

  it('an acknowledgement that failed part-way and was retried is undone whole', async () => {
    const ids = Array.from({ length: 25_000 }, (_, i) => `p${i}`);
    const acked = new Set<string>();
    let failNext = true;
    window.oncall = {
      ...fake.api,
      // main takes the first slice, then the second request fails once
      acknowledgePages: async (target) => {
        const slice = 'ids' in target ? target.ids : [];
        if (slice[0] === 'p10000' && failNext) {
          failNext = false;
          return { ok: false, error: { code: 'generic', params: { message: 'main is busy' } } };
        }
        const changed = slice.filter((id) => !acked.has(id));
        changed.forEach((id) => acked.add(id));
        return { ok: true, value: { acknowledged: changed.length, ids: changed } };
      },
    };
    useAckStore.getState().acknowledge('all', ids, 1);
    await vi.waitFor(() => expect(ack('all')).toMatchObject({ phase: 'failed', failedAction: 'acknowledge' }));
    useAckStore.getState().retry('all');
    await vi.waitFor(() => expect(ack('all')!.phase).toBe('sent'));
    expect(acked.size).toBe(25_000);
    useAckStore.getState().undo('all');
    // the 10,000 main took before the failure are taken back too, not only what the retry changed
    await vi.waitFor(() => expect(fake.unacknowledged.flat()).toHaveLength(25_000));
    expect(new Set(fake.unacknowledged.flat())).toEqual(new Set(ids));
  });
});
