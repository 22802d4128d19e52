import { describe, expect, it } from 'vitest';
import { applyFetch, checkRunbookUrl, conditionalHeaders, type FetchOutcome } from '../../../src/core/runbooks/remote';

const URL_ = 'https://runbooks.example.dev/kubernetes/KubePodCrashLooping.md';
const ok = (body: string, etag = '"v1"'): FetchOutcome => ({ kind: 'response', status: 200, etag, lastModified: 'Mon, 02 Mar 2026 10:00:00 GMT', contentType: 'text/markdown', body });

describe('runbooks fetched over https', () => {
  it('stores the first copy and asks conditionally afterwards', () => {
    const first = applyFetch(null, URL_, ok('# A\n'), 1000);
    expect(first).toMatchObject({ changed: true, problem: null });
    expect(conditionalHeaders(first.copy)).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'Mon, 02 Mar 2026 10:00:00 GMT' });
    const same = applyFetch(first.copy, URL_, { kind: 'response', status: 304, etag: null, lastModified: null, contentType: null, body: '' }, 2000);
    expect(same).toEqual({ copy: { ...first.copy, checkedAt: 2000 }, changed: false, problem: null });
    const edited = applyFetch(first.copy, URL_, ok('# A\n\nnew step\n', '"v2"'), 3000);
    expect(edited.changed).toBe(true);
    expect(edited.copy!.version).not.toBe(first.copy!.version);
  });

  it('keeps the last good copy when the fetch fails, the server errs, or a login page comes back', () => {
    const good = applyFetch(null, URL_, ok('# A\n'), 1000).copy!;
    const failed = applyFetch(good, URL_, { kind: 'error', message: 'ENOTFOUND' }, 2000);
    expect(failed.copy!.text).toBe('# A\n');
    expect(failed.problem).toEqual({ code: 'fetchFailed', params: { url: URL_, reason: 'ENOTFOUND' } });
    const gone = applyFetch(good, URL_, { kind: 'response', status: 404, etag: null, lastModified: null, contentType: 'text/plain', body: 'nope' }, 2000);
    expect(gone.problem).toEqual({ code: 'fetchStatus', params: { url: URL_, status: 404 } });
    expect(gone.copy!.text).toBe('# A\n');
    const login = applyFetch(good, URL_, { ...ok('<!DOCTYPE html><html><body>Sign in</body></html>'), contentType: 'text/html; charset=utf-8' } as FetchOutcome, 2000);
    expect(login.problem?.code).toBe('notMarkdown');
    expect(login.copy!.text).toBe('# A\n');
  });

  it('refuses anything but https', () => {
    expect(() => checkRunbookUrl('http://runbooks.example.dev/x.md')).toThrow(/urlNotHttps/);
    expect(() => checkRunbookUrl('file:///etc/passwd')).toThrow(/urlNotHttps/);
    expect(() => checkRunbookUrl(URL_)).not.toThrow();
  });
});
