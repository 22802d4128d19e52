import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { createIncident } from '../../../src/core/incidents/incident';
import { parseRunbook } from '../../../src/core/runbooks/parse';
import { OnCallDb } from '../../../src/renderer/db/database';
import { startRunbookRun } from '../../../src/renderer/db/incidents-repo';
import { pageTimeline, storeDelivery } from '../../../src/renderer/db/pages-repo';
import { exportDatabase, restoreDatabase } from '../../../src/renderer/db/reports-repo';
import { addOverride, saveAppSchedule, setPref } from '../../../src/renderer/db/rota-repo';
import { delivery, signal } from '../../helpers/fixtures';
import { shippedDb } from '../../helpers/shipped-schemas';

let n = 0;

async function everything(db: OnCallDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) out[t.name] = await t.toArray();
  return out;
}

describe('database backup and restore', () => {
  it('round trip: back up, wipe, restore, and every store matches record by record', async () => {
    const name = `backup-${++n}`;
    let db = new OnCallDb(name);
    await storeDelivery(db, delivery({ id: 'd1', receivedAt: 1_000, signals: [signal({ id: 'p1', groupKey: 'g1', title: 'DiskAlmostFull' })] }), 1_000);
    await db.incidents.put(createIncident({ id: 'i1', by: 'ann', title: 'Disk', severity: 'P2' }, 2_000).incident);
    await startRunbookRun(db, parseRunbook('# Disk\n\n- [ ] Free space\n', { path: 'disk.md' }), { id: 'r1', by: 'ann', incidentId: 'i1' }, 3_000);
    const schedule = await saveAppSchedule(db, { id: 'mine', name: 'Mine', timeZone: 'Europe/Berlin', layers: [{ id: 'l', participants: ['ann', 'ben'], rotation: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-01-05', handoff: '09:00' }] });
    await addOverride(db, schedule.id, { id: 'o1', person: 'cem', start: 10_000, end: 20_000 });
    await setPref(db, 'me', 'ann');
    const before = await everything(db);
    const file = JSON.stringify(await exportDatabase(db, 9_000));

    db.close();
    await Dexie.delete(name);
    db = new OnCallDb(name);
    expect(await db.pages.count()).toBe(0);
    await restoreDatabase(db, JSON.parse(file));
    const after = await everything(db);
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  });

  it('restores a backup made by an older version (v3) through the same upgrades an old database takes', async () => {
    const oldName = `backup-old-${++n}`;
    const v3 = shippedDb(oldName, 3);
    await v3.open();
    await v3.table('pages').add({ id: 'lone', status: 'firing', severity: 'P1', receivedAt: 1, updatedAt: 1, groupKey: '', title: 'Old page', fireCount: 1 });
    await v3.table('events').add({ pageId: 'lone', kind: 'received', at: 1 });
    await v3.table('prefs').add({ key: 'me', value: 'ann' });
    const tables: Record<string, unknown[]> = {};
    const schema: Record<string, string> = {};
    for (const t of v3.tables) {
      tables[t.name] = await t.toArray();
      schema[t.name] = [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].join(', ');
    }
    v3.close();
    const backup = { format: 'on-call-companion-db', version: 3, createdAt: 5, schema, tables };

    const db = new OnCallDb(`backup-target-${++n}`);
    await db.incidents.put(createIncident({ id: 'gone', by: 'x', title: 'Replaced by the backup', severity: 'P4' }, 1).incident);
    await restoreDatabase(db, JSON.parse(JSON.stringify(backup)));
    // the v3 → v4 upgrade ran: a page without a group is its own group
    expect(await db.pages.get('lone')).toMatchObject({ title: 'Old page', groupKey: 'lone' });
    expect((await pageTimeline(db, 'lone')).map((e) => e.kind)).toEqual(['received']);
    expect((await db.prefs.get('me'))?.value).toBe('ann');
    expect(await db.incidents.count()).toBe(0);
  });

  it('a file that is not a backup is refused and nothing changes', async () => {
    const db = new OnCallDb(`backup-bad-${++n}`);
    await db.incidents.put(createIncident({ id: 'keep', by: 'x', title: 'Keep me', severity: 'P4' }, 1).incident);
    await expect(restoreDatabase(db, { format: 'something-else' })).rejects.toMatchObject({ code: 'schemaMismatch', params: { field: 'format' } });
    await expect(restoreDatabase(db, { format: 'on-call-companion-db', version: 5, schema: {}, tables: { pages: [] } })).rejects.toMatchObject({ code: 'schemaMismatch', params: { field: 'schema.pages' } });
    expect(await db.incidents.get('keep')).toBeDefined();
  });
});
