import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/core/ipc-contract';
import { createOutbox } from '../../src/main/services/outbox';
import { signal } from '../helpers/fixtures';

const delivery = (id: string): Delivery => ({ id, receivedAt: 1, notifiedAt: 2, signals: [signal({ id: `alertmanager:${id}` })] });

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
    expect(problems).toEqual(['outbox.jsonl line 2: unreadable entry skipped']);
  });

  it('compacts to an empty file once everything is confirmed', () => {
    const a = createOutbox(file);
    a.add(delivery('d1'));
    a.confirm(['d1']);
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});
