import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onCallAt } from '../../../src/core/rota/engine';
import type { Schedule } from '../../../src/core/rota/model';
import { parseRotaFile } from '../../../src/core/rota/rota-file';
import { OnCallDb } from '../../../src/renderer/db/database';
import { storeDelivery } from '../../../src/renderer/db/pages-repo';
import { delivery, signal } from '../../helpers/fixtures';
import { shippedDb } from '../../helpers/shipped-schemas';
import { addOverride, addRotaSource, applySourceResult, listRotaSources, loadPrefs, loadRota, removeAppSchedule, removeOverride, removeRotaSource, saveAppSchedule, setPref, upcomingOverrides } from '../../../src/renderer/db/rota-repo';

let n = 0;
const freshDb = () => new OnCallDb(`rota-${++n}`);
const feedSchedule = (person: string): Schedule => ({
  id: 'feed1',
  name: 'Feed',
  timeZone: 'UTC',
  layers: [],
  overrides: [],
  fixedShifts: [{ person, start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2026-02-01T00:00:00Z') }],
});
const appSchedule = {
  id: 'mine',
  name: 'Mine',
  timeZone: 'Europe/Berlin',
  layers: [{ id: 'l', participants: ['alice', 'bob'], rotation: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-01-05', handoff: '09:00' }],
};

describe('rota repository', () => {
  it('a new database has the in-app source', async () => {
    expect((await listRotaSources(freshDb())).map((s) => s.id)).toEqual(['app']);
  });

  it('a feed update replaces the source schedules; an error keeps the last good rota and shows on the source', async () => {
    const db = freshDb();
    await addRotaSource(db, { kind: 'ical', label: 'PD', location: 'https://example.com/feed.ics' }, 'feed1');
    await applySourceResult(db, { status: 'updated', sourceId: 'feed1', at: 10, schedules: [feedSchedule('ann')], etag: '"1"', lastModified: null });
    await applySourceResult(db, { status: 'updated', sourceId: 'feed1', at: 20, schedules: [feedSchedule('ben')], etag: '"2"', lastModified: null });
    expect((await loadRota(db)).map((s) => s.fixedShifts[0]!.person)).toEqual(['ben']);
    await applySourceResult(db, { status: 'error', sourceId: 'feed1', at: 30, error: 'invalid iCalendar at line 7: …' });
    const [, src] = await listRotaSources(db);
    expect(src).toMatchObject({ status: 'error', error: 'invalid iCalendar at line 7: …', etag: '"2"', updatedAt: 20 });
    expect((await loadRota(db)).map((s) => s.fixedShifts[0]!.person)).toEqual(['ben']);
    await applySourceResult(db, { status: 'unchanged', sourceId: 'feed1', at: 40 });
    expect((await listRotaSources(db))[1]).toMatchObject({ status: 'ok', error: null, checkedAt: 40, updatedAt: 20 });
  });

  it('my overrides survive a feed refresh and win', async () => {
    const db = freshDb();
    await addRotaSource(db, { kind: 'ical', label: 'PD', location: 'https://example.com/feed.ics' }, 'feed1');
    await applySourceResult(db, { status: 'updated', sourceId: 'feed1', at: 10, schedules: [feedSchedule('ann')], etag: null, lastModified: null });
    await addOverride(db, 'feed1', { id: 'o1', person: 'me', start: Date.parse('2026-01-10T00:00:00Z'), end: Date.parse('2026-01-11T00:00:00Z') });
    await applySourceResult(db, { status: 'updated', sourceId: 'feed1', at: 20, schedules: [feedSchedule('ann')], etag: null, lastModified: null });
    const [s] = await loadRota(db);
    expect(onCallAt(s!, Date.parse('2026-01-10T12:00:00Z'))?.person).toBe('me');
    expect(onCallAt(s!, Date.parse('2026-01-12T12:00:00Z'))?.person).toBe('ann');
  });

  it('saves an in-app schedule; a bad RRULE or zone is refused by field and nothing is stored', async () => {
    const db = freshDb();
    await saveAppSchedule(db, appSchedule);
    expect((await loadRota(db))[0]).toMatchObject({ id: 'mine', layers: [{ restrictions: [] }] });
    await expect(saveAppSchedule(db, { ...appSchedule, id: 'bad', layers: [{ ...appSchedule.layers[0], rotation: 'FREQ=NEVER' }] })).rejects.toThrow(/layers\[0\]\.rotation: invalid RRULE/);
    await expect(saveAppSchedule(db, { ...appSchedule, id: 'bad', timeZone: 'Mars/Base' })).rejects.toThrow(/timeZone: unknown time zone/);
    expect((await loadRota(db)).map((s) => s.id)).toEqual(['mine']);
  });

  it('refuses a feed address that is not http(s) and removing a source takes its schedules and overrides', async () => {
    const db = freshDb();
    await expect(addRotaSource(db, { kind: 'ical', label: '', location: 'file:///etc/passwd' }, 'x')).rejects.toThrow(/http/);
    await addRotaSource(db, { kind: 'ical', label: '', location: 'https://e.example/f.ics' }, 'feed1');
    await applySourceResult(db, { status: 'updated', sourceId: 'feed1', at: 10, schedules: [feedSchedule('ann')], etag: null, lastModified: null });
    await addOverride(db, 'feed1', { id: 'o1', person: 'me', start: 1, end: 2 });
    await removeRotaSource(db, 'feed1');
    expect(await db.schedules.count()).toBe(0);
    expect(await db.overrides.count()).toBe(0);
  });

  it('an in-app schedule can be deleted with its overrides; a feed schedule only with its source', async () => {
    const db = freshDb();
    await saveAppSchedule(db, appSchedule);
    await addOverride(db, 'mine', { id: 'o1', person: 'x', start: 10, end: 20 });
    await addOverride(db, 'mine', { id: 'o2', person: 'y', start: 30, end: 40 });
    expect((await upcomingOverrides(db, 15)).map((o) => o.id)).toEqual(['o1', 'o2']);
    await removeOverride(db, 'o1');
    expect((await upcomingOverrides(db, 0)).map((o) => o.id)).toEqual(['o2']);
    await removeAppSchedule(db, 'mine');
    expect(await db.schedules.count()).toBe(0);
    expect(await db.overrides.count()).toBe(0);
    await addRotaSource(db, { kind: 'ical', label: '', location: 'https://e.example/f.ics' }, 'feed1');
    await applySourceResult(db, { status: 'updated', sourceId: 'feed1', at: 10, schedules: [feedSchedule('ann')], etag: null, lastModified: null });
    await expect(removeAppSchedule(db, 'feed1')).rejects.toThrow(/remove its source instead/);
  });

  it('a rota file keeps its overrides when stored and loaded back; a refresh replaces them and keeps mine (issue 13 case 12)', async () => {
    const db = freshDb();
    await addRotaSource(db, { kind: 'file', label: 'ops', location: '/ops' }, 'ops');
    const parsed = parseRotaFile(readFileSync('test/fixtures/rota.yaml', 'utf8'), 'rota.yaml');
    await applySourceResult(db, { status: 'updated', sourceId: 'ops', at: 10, schedules: parsed, etag: null, lastModified: null });
    const [stored] = await loadRota(db);
    expect(stored!.overrides).toHaveLength(1);
    // the fixture's override: gus covers 2026-01-06 20:00 to 2026-01-07 08:00 Berlin (19:00Z to 07:00Z)
    expect(onCallAt(stored!, Date.parse('2026-01-06T22:00:00Z'))?.person).toBe('gus');
    await addOverride(db, 'platform', { id: 'mine', person: 'me', start: Date.parse('2026-02-01T00:00:00Z'), end: Date.parse('2026-02-02T00:00:00Z') });
    const edited = parsed.map((s) => ({ ...s, overrides: [{ id: 'x', person: 'hal', start: Date.parse('2026-01-10T00:00:00Z'), end: Date.parse('2026-01-11T00:00:00Z') }] }));
    await applySourceResult(db, { status: 'updated', sourceId: 'ops', at: 20, schedules: edited, etag: null, lastModified: null });
    const [again] = await loadRota(db);
    expect(again!.overrides.map((o) => o.person).sort()).toEqual(['hal', 'me']);
    expect(onCallAt(again!, Date.parse('2026-01-06T22:00:00Z'))?.person).not.toBe('gus');
    expect(onCallAt(again!, Date.parse('2026-01-10T12:00:00Z'))?.person).toBe('hal');
  });

  it('preferences have defaults and persist', async () => {
    const db = freshDb();
    expect(await loadPrefs(db, 'Europe/Berlin')).toEqual({ me: '', reminderLeadMinutes: 15, timeZone: 'Europe/Berlin' });
    await setPref(db, 'me', 'alice');
    await setPref(db, 'reminderLeadMinutes', '5');
    expect(await loadPrefs(db, 'UTC')).toEqual({ me: 'alice', reminderLeadMinutes: 5, timeZone: 'UTC' });
  });
});

describe('schema upgrade to v3', () => {
  it('a version 2 database keeps its pages and gains the rota with the in-app source', async () => {
    const name = `upgrade-v2-${++n}`;
    const v2 = shippedDb(name, 2);
    await v2.table('pages').add({ id: 'p1', status: 'firing', severity: 'P1', receivedAt: 1, updatedAt: 1, groupKey: 'g', fireCount: 1 });
    await v2.table('deliveries').add({ id: 'd1', storedAt: 1, signals: 1 });
    v2.close();
    const db = new OnCallDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(3); // later versions add tables; the rota must survive them too
    expect(await db.pages.get('p1')).toMatchObject({ status: 'firing' });
    // its receipt survived every later upgrade: main re-delivering d1 stores nothing
    expect(await storeDelivery(db, delivery({ id: 'd1', signals: [signal({ id: 'p2' })] }), 2)).toBe(false);
    expect(await db.pages.get('p2')).toBeUndefined();
    expect((await listRotaSources(db)).map((s) => s.id)).toEqual(['app']);
    await saveAppSchedule(db, appSchedule);
    expect(await db.schedules.count()).toBe(1);
  });
});
