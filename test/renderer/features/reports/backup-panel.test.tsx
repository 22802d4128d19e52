import { act, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createIncident } from '../../../../src/core/incidents/incident';
import type {} from '../../../../src/renderer/bridge';
import { db } from '../../../../src/renderer/db/instance';
import { BackupPanel } from '../../../../src/renderer/features/reports/backup-panel';
import { setupI18n } from '../../../../src/renderer/i18n';
import { fakeApi } from '../../../helpers/fake-api';

describe('backup panel', () => {
  it('backs up the database through main and restores it from what main reads back', async () => {
    const fake = fakeApi();
    let saved = '';
    window.oncall = {
      ...fake.api,
      saveBackup: async ({ database }) => {
        saved = database;
        return { ok: true, value: { path: '/home/ann/backup.json' } };
      },
      restoreBackup: async () => ({ ok: true, value: { database: saved } }),
    };
    await db.incidents.put(createIncident({ id: 'i1', by: 'ann', title: 'Checkout down', severity: 'P1' }, 1).incident);
    await act(async () => {
      render(
        <I18nextProvider i18n={setupI18n('en')}>
          <BackupPanel />
        </I18nextProvider>,
      );
    });
    fireEvent.click(screen.getByRole('button', { name: 'Back up…' }));
    await screen.findByText('Saved to /home/ann/backup.json');
    expect(JSON.parse(saved).tables.incidents).toHaveLength(1);

    await db.incidents.clear();
    fireEvent.click(screen.getByRole('button', { name: 'Restore…' }));
    await screen.findByText(/^Restored\. Restart the app/);
    expect((await db.incidents.get('i1'))?.title).toBe('Checkout down');
  });
});
