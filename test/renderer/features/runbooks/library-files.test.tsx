import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { RunbookLibraryInput } from '../../../../src/core/runbooks/ipc-schemas';
import { buildRunbookIndex, matchRunbook } from '../../../../src/core/runbooks/match';
import { parseRunbook } from '../../../../src/core/runbooks/parse';
import type {} from '../../../../src/renderer/bridge';
import { db } from '../../../../src/renderer/db/instance';
import { RunbooksPage } from '../../../../src/renderer/features/runbooks/runbooks-page';
import { startWorkSync } from '../../../../src/renderer/features/runbooks/work-state';
import { setupI18n } from '../../../../src/renderer/i18n';
import { useAppStore } from '../../../../src/renderer/store';
import { fakeApi } from '../../../helpers/fake-api';

const A = '/home/ann/ops/kubernetes/KubePodCrashLooping.md';
const B = '/home/ann/notes/disk.md';

describe('single runbook files in the Runbooks view', () => {
  it('adds files picked in main’s dialog, lists each with its state and error, keeps the last good copy, and removes one', async () => {
    const fake = fakeApi();
    const configs: RunbookLibraryInput[] = [];
    const configured: Array<() => void> = [];
    const nextConfigure = () => new Promise<void>((resolve) => configured.push(resolve));
    let picks = 0;
    window.oncall = {
      ...fake.api,
      pickRunbookFiles: async () => {
        picks++;
        return { ok: true, value: { files: [A, B] } };
      },
      configureRunbooks: async (c) => {
        configs.push(c);
        configured.splice(0).forEach((w) => w());
        return { ok: true, value: undefined };
      },
    };
    const errors: string[] = [];
    useAppStore.setState({ reportError: (m: string) => void errors.push(m) } as never);
    const sync = startWorkSync({ api: { configureRunbooks: async (c) => void (await window.oncall!.configureRunbooks(c)), onRunbookResult: fake.bridge.onRunbookResult, syncIncidents: async () => undefined }, db, timeZone: 'UTC', language: () => 'en', onError: (e) => void errors.push(e.message) });
    await act(async () => {
      render(
        <I18nextProvider i18n={setupI18n('en')}>
          <RunbooksPage />
        </I18nextProvider>,
      );
    });

    const added = nextConfigure();
    fireEvent.click(screen.getByRole('button', { name: 'Add files…' }));
    await act(async () => {
      await added;
    });
    const files = await screen.findByRole('list', { name: 'Single runbook files' });
    expect(picks).toBe(1);
    expect(within(files).getAllByRole('listitem').map((li) => li.textContent)).toEqual([`${B} reading… Remove`, `${A} reading… Remove`]);
    expect(configs.at(-1)).toEqual({ folder: null, files: [B, A], urls: [] });

    // main read A and could not find B
    await act(async () => {
      fake.emit('runbooks:result', { kind: 'file', file: A, at: 5, status: 'updated', runbook: parseRunbook('---\ntitle: Pod crash looping\n---\n# KubePodCrashLooping\n\n1. Roll back\n', { path: 'KubePodCrashLooping.md' }) });
      fake.emit('runbooks:result', { kind: 'file', file: B, at: 5, status: 'error', problem: { path: B, code: 'runbooks.library.fileMissing', params: { path: B } } });
    });
    await screen.findByRole('button', { name: /Pod crash looping/ });
    await within(files).findByText('watched');
    expect((await within(files).findByText('not readable, last good copy in use')).parentElement!.textContent).toContain(B);
    const problems = await screen.findByRole('status', { name: 'Files that could not be read' });
    expect(problems.textContent).toBe(`The runbook file ${B} is gone or was moved; the last good copy stays`);

    // the page's runbook_url finds the single file by its name, as it would a folder runbook
    const index = buildRunbookIndex(await db.runbooks.toArray());
    const match = matchRunbook(index, { runbookUrl: 'https://runbooks.example.dev/runbooks/kubernetes/kubepodcrashlooping', labels: {} });
    expect(match).toMatchObject({ reason: 'fileName' });
    expect((await db.runbooks.where('path').equals(match!.path).first())?.key).toBe(A);

    // A breaks: its error names the file even though the budget's text does not, and its copy stays listed
    await act(async () => {
      fake.emit('runbooks:result', { kind: 'file', file: A, at: 6, status: 'error', problem: { path: A, code: 'imports.timeBudget', params: { path: A, seconds: 2 } } });
    });
    await within(problems).findByText(new RegExp(`^${A}: `));
    expect(screen.getByRole('button', { name: /Pod crash looping/ })).toBeTruthy();

    // removed: main stops watching it, and its copy leaves the library
    const removed = nextConfigure();
    fireEvent.click(within(files).getByRole('button', { name: `Remove ${A}` }));
    await act(async () => {
      await removed;
    });
    expect(configs.at(-1)).toEqual({ folder: null, files: [B], urls: [] });
    expect(screen.queryByRole('button', { name: /Pod crash looping/ })).toBeNull();
    expect(errors).toEqual([]);
    sync.stop();
  });
});
