import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createIncident } from '../../../../src/core/incidents/incident';
import type {} from '../../../../src/renderer/bridge';
import { db } from '../../../../src/renderer/db/instance';
import { BackupPanel } from '../../../../src/renderer/features/reports/backup-panel';
import { setupI18n } from '../../../../src/renderer/i18n';
import { useAppStore } from '../../../../src/renderer/store';
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

    // main writes its files only after this window checked the database, and restarts only once it is in
    const calls: string[] = [];
    window.oncall = {
      ...window.oncall,
      applyBackup: async () => {
        calls.push(`apply (incidents in the window: ${await db.incidents.count()})`);
        return { ok: true, value: undefined };
      },
      relaunchAfterRestore: async () => {
        calls.push(`relaunch (incidents in the window: ${await db.incidents.count()})`);
        return { ok: true, value: undefined };
      },
    };
    await db.incidents.clear();
    fireEvent.click(screen.getByRole('button', { name: 'Restore…' }));
    await screen.findByText('Restored. The app restarts now.');
    expect((await db.incidents.get('i1'))?.title).toBe('Checkout down');
    expect(calls).toEqual(['apply (incidents in the window: 0)', 'relaunch (incidents in the window: 1)']);
  });

  it('secrets go along only when asked, with the passphrase; a restore passes the passphrase typed', async () => {
    const fake = fakeApi();
    const saves: Array<{ passphrase?: string }> = [];
    const restores: Array<{ passphrase?: string }> = [];
    window.oncall = {
      ...fake.api,
      saveBackup: async (request) => {
        saves.push({ ...(request.passphrase !== undefined ? { passphrase: request.passphrase } : {}) });
        return { ok: true, value: { path: '/home/ann/backup.json' } };
      },
      restoreBackup: async (request) => {
        restores.push(request);
        return { ok: true, value: { database: null } };
      },
    };
    await act(async () => {
      render(
        <I18nextProvider i18n={setupI18n('en')}>
          <BackupPanel />
        </I18nextProvider>,
      );
    });
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Back up…' }));
    await waitFor(() => expect(saves).toEqual([{}]));
    fireEvent.click(screen.getByLabelText('Include secrets, sealed under the passphrase'));
    fireEvent.click(screen.getByRole('button', { name: 'Back up…' }));
    await waitFor(() => expect(saves).toEqual([{}, { passphrase: 'correct horse battery' }]));
    fireEvent.click(screen.getByRole('button', { name: 'Restore…' }));
    await waitFor(() => expect(restores).toEqual([{ passphrase: 'correct horse battery' }]));
  });

  it('a damaged database is refused before main changes anything', async () => {
    const fake = fakeApi();
    const calls: string[] = [];
    const errors: string[] = [];
    useAppStore.setState({ reportError: (m: string) => void errors.push(m) });
    window.oncall = {
      ...fake.api,
      restoreBackup: async () => ({ ok: true, value: { database: JSON.stringify({ format: 'on-call-companion-db', version: 5, createdAt: 0, schema: {}, tables: { incidents: [] } }) } }),
      applyBackup: async () => {
        calls.push('apply');
        return { ok: true, value: undefined };
      },
      relaunchAfterRestore: async () => {
        calls.push('relaunch');
        return { ok: true, value: undefined };
      },
    };
    await db.incidents.put(createIncident({ id: 'i2', by: 'ann', title: 'Kept', severity: 'P2' }, 1).incident);
    await act(async () => {
      render(
        <I18nextProvider i18n={setupI18n('en')}>
          <BackupPanel />
        </I18nextProvider>,
      );
    });
    fireEvent.click(screen.getAllByRole('button', { name: 'Restore…' }).at(-1)!);
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatch(/schema\.incidents/);
    expect(calls).toEqual([]);
    expect((await db.incidents.get('i2'))?.title).toBe('Kept');
    expect(screen.queryByText('Restored. The app restarts now.')).toBeNull();
  });
});
