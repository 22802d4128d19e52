import { describe, expect, it } from 'vitest';
import { scanLibrary } from '../../../src/core/runbooks/library';
import { fixtureText } from './fixtures';

const files = ['kubernetes/KubePodCrashLooping.md', 'redis/RedisMemoryHigh.md'].map((path) => ({ path, text: fixtureText(path) }));

describe('scanning the runbook library', () => {
  it('parses new files and reuses unchanged ones on a rescan', () => {
    const first = scanLibrary(files);
    expect(first).toMatchObject({ parsed: 2, reused: 0, problems: [] });
    const previous = new Map(first.runbooks.map((r) => [r.path, r]));
    const edited = [files[0]!, { ...files[1]!, text: `${files[1]!.text}\nOne more paragraph.\n` }];
    const second = scanLibrary(edited, previous);
    expect(second).toMatchObject({ parsed: 1, reused: 1 });
    expect(second.runbooks[0]).toBe(first.runbooks[0]);
    expect(second.runbooks[1]!.version).not.toBe(first.runbooks[1]!.version);
  });

  it('keeps the last good copy when a file turns unreadable, and says so', () => {
    const first = scanLibrary(files);
    const previous = new Map(first.runbooks.map((r) => [r.path, r]));
    const broken = [files[0]!, { path: files[1]!.path, text: 'PK\u0003\u0004\u0000binary' }];
    const scan = scanLibrary(broken, previous);
    expect(scan.problems).toEqual([{ path: 'redis/RedisMemoryHigh.md', code: 'binary', params: { path: 'redis/RedisMemoryHigh.md' }, keptLastGood: true }]);
    expect(scan.runbooks.map((r) => r.title)).toEqual(['Kube Pod Crash Looping', 'Redis is running out of memory']);
    const fresh = scanLibrary([{ path: 'new.md', text: '\u0000' }]);
    expect(fresh.problems[0]!.keptLastGood).toBe(false);
    expect(fresh.runbooks).toEqual([]);
  });

  it('drops runbooks whose files vanished', () => {
    const first = scanLibrary(files);
    const scan = scanLibrary([files[0]!], new Map(first.runbooks.map((r) => [r.path, r])));
    expect(scan.runbooks.map((r) => r.path)).toEqual(['kubernetes/KubePodCrashLooping.md']);
  });
});

describe('the quick index from front matter', () => {
  it('matches what the full parse reads, without parsing the Markdown', async () => {
    const { quickEntry } = await import('../../../src/core/runbooks/library');
    const { parseRunbook } = await import('../../../src/core/runbooks/parse');
    for (const path of ['database/postgres-replication-lag.md', 'web/CertificateExpiry.md', 'kubernetes/KubePodCrashLooping.md', 'redis/RedisMemoryHigh.md']) {
      const text = fixtureText(path);
      const full = parseRunbook(text, { path });
      const quick = quickEntry({ path, text });
      expect({ aliases: quick.aliases, matchers: quick.matchers, severity: quick.severity, version: quick.version }).toEqual({ aliases: full.aliases, matchers: full.matchers, severity: full.severity, version: full.version });
    }
    expect(quickEntry({ path: 'x.md', text: '# no front matter\n---\nnot: yaml\n' }).aliases).toEqual([]);
  });
});

describe('a runbook outline', () => {
  it('has what the full parse lists and matches by (path, title, aliases, matchers, severity, version) for every fixture', async () => {
    const { outlineRunbook } = await import('../../../src/core/runbooks/library');
    const { parseRunbook } = await import('../../../src/core/runbooks/parse');
    for (const path of ['database/postgres-replication-lag.md', 'web/CertificateExpiry.md', 'kubernetes/KubePodCrashLooping.md', 'redis/RedisMemoryHigh.md']) {
      const text = fixtureText(path);
      const full = parseRunbook(text, { path });
      const outline = outlineRunbook({ path, text });
      const listed = (r: typeof full) => ({ path: r.path, title: r.title, aliases: r.aliases, matchers: r.matchers, severity: r.severity, version: r.version });
      expect(listed(outline)).toEqual(listed(full));
      expect(outline).toMatchObject({ outline: true, groups: [], tree: [] });
    }
  });

  it('takes its title from the front matter, else the first H1 outside code, else the file name', async () => {
    const { outlineRunbook } = await import('../../../src/core/runbooks/library');
    const title = (path: string, text: string) => outlineRunbook({ path, text }).title;
    expect(title('a.md', '---\ntitle: From front matter\n---\n# Heading\n')).toBe('From front matter');
    expect(title('a.md', '```sh\n# a shell comment\n```\n\n## Sub\n\n# Real title ##\n')).toBe('Real title');
    expect(title('a.md', '~~~\n# inside a tilde fence\n~~~~\n# After the fence\n')).toBe('After the fence');
    expect(title('ops/DiskFull.md', 'No heading at all.\n')).toBe('DiskFull');
  });

  it('refuses what the full parse refuses up front, and a checklist cannot be started on it', async () => {
    const { outlineRunbook } = await import('../../../src/core/runbooks/library');
    const { startRun } = await import('../../../src/core/runbooks/run');
    expect(() => outlineRunbook({ path: 'bin.md', text: 'PK\u0003\u0004\u0000' })).toThrow(expect.objectContaining({ code: 'binary', params: { path: 'bin.md' } }));
    const outline = outlineRunbook({ path: 'disk.md', text: '# Disk\n\n- [ ] Free space\n' });
    expect(() => startRun(outline, { id: 'r1', by: 'ann' }, 1)).toThrow(expect.objectContaining({ code: 'notParsedYet', params: { path: 'disk.md' } }));
  });
});
