import { act, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { RunbookLibraryConfig, RunbookResult } from '../../../../src/core/runbooks/ipc-schemas';
import { parseRunbook } from '../../../../src/core/runbooks/parse';
import type { Page } from '../../../../src/core/page';
import { db } from '../../../../src/renderer/db/instance';
import { storeDelivery } from '../../../../src/renderer/db/pages-repo';
import { PageWork } from '../../../../src/renderer/features/runbooks/page-work';
import { startWorkSync, useWorkUi } from '../../../../src/renderer/features/runbooks/work-state';
import { setupI18n } from '../../../../src/renderer/i18n';
import { useAppStore } from '../../../../src/renderer/store';
import { delivery, signal } from '../../../helpers/fixtures';

const URL = 'https://runbooks.example.dev/runbooks/disk/diskalmostfull';

describe('runbook and incident in the page detail pane', () => {
  it('fetches a runbook only reachable by its link, then starts it as a checklist for the page', async () => {
    await storeDelivery(db, delivery({ id: 'd1', receivedAt: 1_000, signals: [signal({ id: 'p1', groupKey: 'g1', title: 'DiskAlmostFull', runbookUrl: URL })] }), 1_000);
    const page = (await db.pages.get('p1')) as Page;
    const configs: RunbookLibraryConfig[] = [];
    let emit: (r: RunbookResult) => void = () => undefined;
    const sync = startWorkSync({
      api: {
        configureRunbooks: async (c) => void configs.push(c),
        onRunbookResult: (l) => {
          emit = l;
          return () => undefined;
        },
        syncIncidents: async () => undefined,
      },
      db,
      timeZone: 'UTC',
      language: () => 'en',
      onError: (e) => Promise.reject(e),
    });
    await act(async () => {
      render(
        <I18nextProvider i18n={setupI18n('en')}>
          <PageWork page={page} />
        </I18nextProvider>,
      );
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Fetch the runbook from its link' }));
    await screen.findByText('Fetching the runbook…');
    expect(configs.at(-1)).toEqual({ folder: null, files: [], urls: [{ url: URL, etag: null, lastModified: null }] });

    // main fetched and parsed it: the page now matches it by its exact URL
    await act(async () => {
      emit({ kind: 'url', url: URL, at: 2_000, status: 'updated', runbook: parseRunbook('# Disk almost full\n\n1. Find big files\n2. Rotate logs\n', { path: 'diskalmostfull', url: URL }), etag: '"1"', lastModified: null });
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Start runbook' }));
    await act(async () => {
      await new Promise<void>((resolve) => {
        const off = useWorkUi.subscribe((s) => {
          if (!s.runId) return;
          off();
          resolve();
        });
      });
    });
    const run = await db.runs.get(useWorkUi.getState().runId!);
    expect(run).toMatchObject({ pageId: 'p1', runbookTitle: 'Disk almost full', status: 'running' });
    expect(useAppStore.getState().view).toBe('runbooks');
    sync.stop();
  });
});
