import { describe, expect, it } from 'vitest';
import type { RunbookResult } from '../../../src/core/runbooks/ipc-schemas';
import { outlineRunbook } from '../../../src/core/runbooks/library';
import { parseRunbook } from '../../../src/core/runbooks/parse';
import { OnCallDb } from '../../../src/renderer/db/database';
import { shippedDb } from '../../helpers/shipped-schemas';
import { addRunbookFiles, addRunbookUrl, applyRunbookResult, libraryConfig, removeRunbookFile, removeRunbookUrl, setLibraryFolder, startRunbookSync } from '../../../src/renderer/db/runbooks-repo';

let n = 0;
const freshDb = () => new OnCallDb(`runbooks-${++n}`);
const rb = (path: string, title: string, url: string | null = null) => parseRunbook(`# ${title}\n\n- [ ] Look\n- [ ] Fix\n`, { path, url });
const folderScan = (folder: string, at: number, runbooks = [rb('a.md', 'A'), rb('k8s/B.md', 'B')], problems: Extract<RunbookResult, { kind: 'folder' }>['problems'] = []): RunbookResult => ({ kind: 'folder', folder, at, runbooks, problems });

describe('runbook library store', () => {
  it('a folder scan replaces the folder runbooks; a file main could not read keeps its stored copy and shows why', async () => {
    const db = freshDb();
    await setLibraryFolder(db, '/ops/runbooks');
    await applyRunbookResult(db, folderScan('/ops/runbooks', 10));
    expect((await db.runbooks.orderBy('path').toArray()).map((r) => r.title)).toEqual(['A', 'B']);

    // b broke (main restarted, so it has no last good copy of its own), a was deleted
    await applyRunbookResult(db, folderScan('/ops/runbooks', 20, [], [{ path: 'k8s/B.md', code: 'imports.timeBudget', params: { path: 'k8s/B.md', seconds: 2 } }]));
    expect((await db.runbooks.toArray()).map((r) => r.title)).toEqual(['B']);
    expect(await db.runbookSources.get('folder')).toMatchObject({ status: 'error', checkedAt: 20, problems: [{ path: 'k8s/B.md', code: 'imports.timeBudget' }] });
  });

  it('a vanished folder or a failed fetch only marks the source: nothing stored is lost', async () => {
    const db = freshDb();
    await setLibraryFolder(db, '/ops');
    await addRunbookUrl(db, 'https://x.dev/disk.md');
    await applyRunbookResult(db, folderScan('/ops', 1));
    await applyRunbookResult(db, { kind: 'url', url: 'https://x.dev/disk.md', at: 2, status: 'updated', runbook: rb('disk.md', 'Disk', 'https://x.dev/disk.md'), etag: '"e1"', lastModified: null });
    await applyRunbookResult(db, { kind: 'folderError', folder: '/ops', at: 3, problem: { path: '/ops', code: 'runbooks.library.folderMissing', params: { folder: '/ops', reason: 'ENOENT' } } });
    await applyRunbookResult(db, { kind: 'url', url: 'https://x.dev/disk.md', at: 4, status: 'error', problem: { path: 'https://x.dev/disk.md', code: 'imports.httpStatus', params: { status: 503 } } });
    expect(await db.runbooks.count()).toBe(3);
    expect((await db.runbookSources.get('folder'))?.status).toBe('error');
    // the ETag of the last good copy is what main asks with next time
    expect(await libraryConfig(db)).toEqual({ folder: '/ops', files: [], urls: [{ url: 'https://x.dev/disk.md', etag: '"e1"', lastModified: null }] });
  });

  it('a result for a folder the user has since changed is dropped; changing the folder drops its runbooks; removing a URL drops its copy', async () => {
    const db = freshDb();
    await setLibraryFolder(db, '/old');
    await applyRunbookResult(db, folderScan('/old', 1));
    await setLibraryFolder(db, '/new');
    expect(await db.runbooks.count()).toBe(0);
    await applyRunbookResult(db, folderScan('/old', 2));
    expect(await db.runbooks.count()).toBe(0);
    await addRunbookUrl(db, 'https://x.dev/a.md');
    await applyRunbookResult(db, { kind: 'url', url: 'https://x.dev/a.md', at: 2, status: 'updated', runbook: rb('a.md', 'A', 'https://x.dev/a.md'), etag: null, lastModified: null });
    await removeRunbookUrl(db, 'https://x.dev/a.md');
    expect(await db.runbooks.count()).toBe(0);
    expect(await libraryConfig(db)).toEqual({ folder: '/new', files: [], urls: [] });
  });

  it('single files: kept in the library config across a restart, a broken or vanished file keeps its copy, a folder change leaves them, removing one drops its copy', async () => {
    const name = `runbooks-files-${++n}`;
    let db = new OnCallDb(name);
    await setLibraryFolder(db, '/ops');
    await addRunbookFiles(db, ['/home/ann/KubePodCrashLooping.md', '/srv/disk.md', '/srv/disk.md']);
    await addRunbookFiles(db, ['/srv/disk.md']);
    await applyRunbookResult(db, { kind: 'file', file: '/srv/disk.md', at: 3, status: 'updated', runbook: rb('disk.md', 'Disk') });
    await applyRunbookResult(db, folderScan('/ops', 4, [rb('a.md', 'A')]));
    db.close();

    // the app restarts: main is told the same files again
    db = new OnCallDb(name);
    expect(await libraryConfig(db)).toEqual({ folder: '/ops', files: ['/home/ann/KubePodCrashLooping.md', '/srv/disk.md'], urls: [] });
    await applyRunbookResult(db, { kind: 'file', file: '/srv/disk.md', at: 5, status: 'error', problem: { path: '/srv/disk.md', code: 'runbooks.library.fileMissing', params: { path: '/srv/disk.md' } } });
    expect((await db.runbooks.get('/srv/disk.md'))?.title).toBe('Disk');
    expect(await db.runbookSources.get('/srv/disk.md')).toMatchObject({ status: 'error', checkedAt: 5, problems: [{ code: 'runbooks.library.fileMissing' }] });
    // a folder scan replaces folder runbooks only
    await applyRunbookResult(db, folderScan('/ops', 6, []));
    await setLibraryFolder(db, '/elsewhere');
    expect((await db.runbooks.toArray()).map((r) => r.key)).toEqual(['/srv/disk.md']);

    await removeRunbookFile(db, '/srv/disk.md');
    expect(await db.runbooks.count()).toBe(0);
    // a late result for the removed file is dropped, not stored again
    await applyRunbookResult(db, { kind: 'file', file: '/srv/disk.md', at: 7, status: 'updated', runbook: rb('disk.md', 'Disk') });
    expect(await db.runbooks.count()).toBe(0);
    expect((await libraryConfig(db)).files).toEqual(['/home/ann/KubePodCrashLooping.md']);
    db.close();
  });

  it('outlines fill the library at once but never replace a full copy; the full parse then replaces them', async () => {
    const db = freshDb();
    await setLibraryFolder(db, '/ops');
    await applyRunbookResult(db, folderScan('/ops', 1, [rb('a.md', 'A')]));
    const outline = (path: string, title: string) => outlineRunbook({ path, text: `# ${title}\n\n- [ ] Look\n- [ ] Fix\n` });
    // after a restart main sends outlines first: a.md keeps its full copy, k8s/B.md is new and listed as an outline
    await applyRunbookResult(db, folderScan('/ops', 2, [outline('a.md', 'A'), outline('k8s/B.md', 'B')]));
    expect((await db.runbooks.get('a.md'))?.groups).toHaveLength(1);
    expect(await db.runbooks.get('k8s/B.md')).toMatchObject({ title: 'B', outline: true });
    await applyRunbookResult(db, folderScan('/ops', 3, [rb('a.md', 'A'), rb('k8s/B.md', 'B')]));
    const b = await db.runbooks.get('k8s/B.md');
    expect(b?.outline).toBeUndefined();
    expect(b?.groups[0]!.steps.map((s) => s.text)).toEqual(['Look', 'Fix']);
  });

  it('the sync tells main the stored library and stores what main sends back', async () => {
    const db = freshDb();
    await setLibraryFolder(db, '/ops');
    const configured: unknown[] = [];
    let listener: (r: RunbookResult) => void = () => undefined;
    const sync = startRunbookSync({
      api: {
        configureRunbooks: async (c) => void configured.push(c),
        onRunbookResult: (l) => {
          listener = l;
          return () => undefined;
        },
      },
      db,
      onError: (err) => {
        throw err;
      },
    });
    await sync.resync();
    expect(configured.at(-1)).toEqual({ folder: '/ops', files: [], urls: [] });
    listener(folderScan('/ops', 5));
    await sync.settled();
    expect(await db.runbooks.count()).toBe(2);
  });

  it('upgrades a version 4 database to 5: pages stay, the new tables work', async () => {
    const name = `runbooks-upgrade-${++n}`;
    const v4 = shippedDb(name, 4);
    await v4.table('pages').add({ id: 'p1', status: 'firing', severity: 'P1', receivedAt: 1, updatedAt: 1, groupKey: 'g', startsAt: 1, resolvedAt: null, title: 'Disk' });
    await v4.table('prefs').add({ key: 'me', value: 'ann' });
    v4.close();
    const db = new OnCallDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(5);
    expect(await db.pages.get('p1')).toMatchObject({ title: 'Disk', groupKey: 'g' });
    expect((await db.prefs.get('me'))?.value).toBe('ann');
    await setLibraryFolder(db, '/ops');
    await applyRunbookResult(db, folderScan('/ops', 1));
    expect(await db.runbooks.where('path').equals('k8s/B.md').count()).toBe(1);
    expect(await db.runs.count()).toBe(0);
    expect(await db.incidents.count()).toBe(0);
    expect(await db.postmortems.count()).toBe(0);
  });
});
