import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AwayDigest } from '../../../../src/core/ipc-contract';
import { db } from '../../../../src/renderer/db/instance';
import { storeDelivery } from '../../../../src/renderer/db/pages-repo';
import { AWAY_SHOWN, AwaySection } from '../../../../src/renderer/features/relay/away-section';
import { setupI18n } from '../../../../src/renderer/i18n';
import { fakeApi } from '../../../helpers/fake-api';
import { delivery, signal } from '../../../helpers/fixtures';

const at = new Date(2026, 10, 21, 6, 55).getTime();
const since = new Date(2026, 10, 21, 2, 10).getTime();
const digest: AwayDigest = { at, since, pages: 14, stillFiring: 2, ids: ['am:disk', 'am:cpu', 'am:gone', 'am:not-stored-yet'] };

async function seed() {
  await storeDelivery(
    db,
    delivery({
      id: `away-${Math.random()}`,
      receivedAt: at,
      signals: [
        signal({ id: 'am:disk', groupKey: 'g-disk', title: 'DiskAlmostFull', instance: 'db-1:9100', startsAt: since + 60_000 }),
        signal({ id: 'am:cpu', groupKey: 'g-cpu', title: 'CpuHigh', instance: 'web-1', startsAt: since + 120_000 }),
        signal({ id: 'am:gone', groupKey: 'g-gone', title: 'Flapping', instance: '', status: 'resolved', endsAt: since + 200_000, startsAt: since + 100_000 }),
        signal({ id: 'am:other', groupKey: 'g-other', title: 'NotAway', startsAt: since }),
      ],
    }),
    at,
  );
}

function mount(lang: 'en' | 'de', initial: AwayDigest | null) {
  const fake = fakeApi();
  fake.away.digest = initial;
  window.oncall = fake.api;
  render(
    <I18nextProvider i18n={setupI18n(lang)}>
      <AwaySection />
    </I18nextProvider>,
  );
  return fake;
}

beforeEach(async () => {
  await db.pages.clear();
  await db.receipts.clear();
  await db.timeline.clear();
  await seed();
});

describe('"While you were away" in the Pages view', () => {
  it('sums up the time away and lists its pages with their stored status, each opening its group; Dismiss hides it', async () => {
    const fake = mount('en', digest);
    const section = await screen.findByRole('region', { name: 'While you were away (02:10–06:55): 14 pages, 2 still firing' });
    expect(within(section).getByTestId('away-summary').textContent).toBe('14 pages, 2 still firing');
    await waitFor(() => expect(within(section).getAllByRole('listitem')).toHaveLength(3));
    const items = within(section).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['Firing DiskAlmostFull db-1:9100', 'Firing CpuHigh web-1', 'Resolved Flapping ']);
    expect(within(section).getByRole('link', { name: 'DiskAlmostFull' }).getAttribute('href')).toBe('#/pages/g-disk');
    expect(within(section).queryByText('NotAway')).toBeNull();
    // 14 counted, 4 listed of which 3 are stored here so far: the rest is said, not hidden, and each for what it is
    expect(within(section).getByText('and 10 more pages, in the list below')).toBeTruthy();
    expect(within(section).getByText('1 page is not in this window yet: it appears once its delivery is stored')).toBeTruthy();

    // a page acknowledged meanwhile shows as acknowledged: the status is the window's, live
    await act(async () => {
      await db.pages.update('am:cpu', { status: 'acknowledged', acknowledgedAt: at + 1 });
    });
    await waitFor(() => expect(within(section).getByTestId('away-page-am:cpu').textContent).toContain('Acknowledged'));
    // acknowledged still fires; resolved since the digest does not, and the headline says so
    expect(within(section).getByTestId('away-summary').textContent).toBe('14 pages, 2 still firing');
    await act(async () => {
      await db.pages.update('am:disk', { status: 'resolved', resolvedAt: at + 2 });
    });
    await waitFor(() => expect(within(section).getByTestId('away-summary').textContent).toBe('14 pages, 1 still firing'));

    fireEvent.click(within(section).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByTestId('away-section')).toBeNull());
    expect(fake.away.dismissed).toBe(1);
  });

  it('shows nothing without a digest, and appears when main reports a new one (German, no known start)', async () => {
    const fake = mount('de', null);
    await act(async () => {
      await Promise.resolve();
    });
    expect(screen.queryByTestId('away-section')).toBeNull();
    act(() => fake.emit('catchup:changed', { digest: { ...digest, since: null, pages: 1, stillFiring: 1, ids: ['am:disk'] } }));
    const section = await screen.findByRole('region', { name: /^Während du weg warst: 1 Page, davon 1 noch aktiv$/ });
    await waitFor(() => expect(within(section).getAllByRole('listitem')).toHaveLength(1));
    expect(within(section).getByRole('button', { name: 'Ausblenden' })).toBeTruthy();
    // dismissed in another window (or by main): the section goes
    act(() => fake.emit('catchup:changed', { digest: null }));
    await waitFor(() => expect(screen.queryByTestId('away-section')).toBeNull());
  });

  it('a long time away lists the first pages by name and counts the rest, which the list below holds', async () => {
    const many = Array.from({ length: AWAY_SHOWN + 30 }, (_, i) => `am:many-${String(i).padStart(3, '0')}`);
    await storeDelivery(db, delivery({ id: 'away-many', receivedAt: at, signals: many.map((id, i) => signal({ id, groupKey: `g-${id}`, title: `Many${i}`, startsAt: since + i })) }), at);
    mount('en', { ...digest, pages: 2_500, stillFiring: 2_500, ids: many });
    const section = await screen.findByRole('region', { name: /^While you were away/ });
    await waitFor(() => expect(within(section).getAllByRole('listitem')).toHaveLength(AWAY_SHOWN));
    expect(within(section).getByTestId('away-page-am:many-000')).toBeTruthy();
    expect(within(section).queryByTestId(`away-page-am:many-${AWAY_SHOWN}`)).toBeNull();
    expect(within(section).getByTestId('away-summary').textContent).toBe('2,500 pages, 2,500 still firing');
    expect(within(section).getByText(`and ${(2_500 - AWAY_SHOWN).toLocaleString('en')} more pages, in the list below`)).toBeTruthy();
    // every listed page is stored here: nothing is said to be missing
    expect(within(section).queryByText(/not in this window yet/)).toBeNull();
  });

  it('a time away of more than a day names the dates, not only the times', async () => {
    mount('en', { ...digest, since: at - 3 * 86_400_000 });
    const heading = await screen.findByRole('heading', { level: 2 });
    expect(heading.textContent).toMatch(/^While you were away \(Nov 18, 06:55–Nov 21, 06:55\)/);
  });
});
