import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/renderer/db/instance';
import { storeDelivery } from '../../src/renderer/db/pages-repo';
import { openRoute, routeFor } from '../../src/renderer/routes';
import { useAppStore } from '../../src/renderer/store';
import { delivery, signal } from '../helpers/fixtures';

describe('deep links', () => {
  beforeEach(async () => {
    await db.pages.clear();
    await db.receipts.clear();
    useAppStore.setState({ view: 'settings', filter: 'hides everything', selectedPageId: null, focusedRow: null });
    await storeDelivery(
      db,
      delivery({
        id: 'd',
        signals: [
          signal({ id: 'am:old', groupKey: 'grp', startsAt: 1_000, status: 'resolved', endsAt: 2_000 }),
          signal({ id: 'am:new', groupKey: 'grp', startsAt: 3_000 }),
          signal({ id: 'am:lone', groupKey: 'am:lone', startsAt: 500 }),
        ],
      }),
      5_000,
    );
  });

  it('#/pages/<group> opens the Pages view on that group, its firing page selected, the filter cleared', async () => {
    await openRoute(db, routeFor('pages', 'grp'));
    const s = useAppStore.getState();
    expect([s.view, s.selectedPageId, s.focusedRow, s.filter]).toEqual(['pages', 'am:new', 'g:grp', '']);
  });

  it('a group key with any characters survives the round trip through the URL', async () => {
    const key = '{}/{alertname="Disk#Full"}:{team="a b"}';
    await storeDelivery(db, delivery({ id: 'e', signals: [signal({ id: 'am:odd', groupKey: key })] }), 5_000);
    await openRoute(db, routeFor('pages', key));
    expect(useAppStore.getState().selectedPageId).toBe('am:odd');
  });

  it('#/pages/<page id> works for a page of its own', async () => {
    await openRoute(db, '#/pages/am%3Alone');
    expect(useAppStore.getState().focusedRow).toBe('g:am:lone');
  });

  it('other views open by name; unknown routes and unknown groups change nothing', async () => {
    await openRoute(db, '#/rota');
    expect(useAppStore.getState().view).toBe('rota');
    await openRoute(db, '#/nowhere/x');
    expect(useAppStore.getState().view).toBe('rota');
    await openRoute(db, '#/pages/no-such-group');
    expect(useAppStore.getState()).toMatchObject({ view: 'pages', selectedPageId: null });
  });
});
