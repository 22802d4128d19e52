import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_INDEX_URL, CONTENT_SECURITY_POLICY, isAppUrl } from '../../../src/main/security';

const mock = vi.hoisted(() => ({ current: null as ReturnType<typeof import('./electron-mock').makeElectronMock> | null }));
vi.mock('electron', async () => {
  const { makeElectronMock } = await import('./electron-mock');
  mock.current = makeElectronMock();
  return mock.current.module;
});
const { handleAppProtocol, mimeTypeOf, registerAppScheme, resolveAppPath } = await import('../../../src/main/electron/app-protocol');
const m = () => mock.current!;

function buildFolder() {
  const outside = mkdtempSync(path.join(tmpdir(), 'occ-outside-'));
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  const root = mkdtempSync(path.join(tmpdir(), 'occ-renderer-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(path.join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(path.join(root, 'assets', 'font.woff2'), 'w');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'assets', 'leak.txt'));
  return root;
}

describe('the app:// protocol', () => {
  it('is registered privileged, standard and secure before ready, then served from the build folder', async () => {
    registerAppScheme();
    expect(m().schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    // the CSP applies to app:// like to any page, and no service worker can outlive a load
    expect(m().schemes[0]).not.toMatchObject({ privileges: expect.objectContaining({ bypassCSP: true }) });
    expect(m().schemes[0]).not.toMatchObject({ privileges: expect.objectContaining({ allowServiceWorkers: true }) });
    const root = buildFolder();
    handleAppProtocol(root);
    const serve = m().protocolHandlers.get('app')!;
    const index = await serve({ url: APP_INDEX_URL, method: 'GET' });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain('<title>app</title>');
    const js = await serve({ url: 'app://oncall/assets/index-abc.js', method: 'GET' });
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    expect((await serve({ url: 'app://oncall/', method: 'GET' })).status).toBe(200);
  });

  it('serves the right MIME types', () => {
    expect(mimeTypeOf('a/b.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeOf('logo.svg')).toBe('image/svg+xml');
    expect(mimeTypeOf('f.woff2')).toBe('font/woff2');
    expect(mimeTypeOf('x.png')).toBe('image/png');
    expect(mimeTypeOf('no-extension')).toBe('application/octet-stream');
  });

  it('refuses path traversal, encoded or not, other hosts, symlinks out of the build, and writes', async () => {
    const root = buildFolder();
    handleAppProtocol(root);
    const serve = m().protocolHandlers.get('app')!;
    for (const url of [
      'app://oncall/../../etc/passwd',
      'app://oncall/%2e%2e/%2e%2e/etc/passwd',
      'app://oncall/assets/..%2f..%2fsecret.txt',
      'app://oncall/assets%5c..%5c..%5csecret.txt',
      'app://oncall/index.html%00.png',
      'app://elsewhere/index.html',
      'app://oncall/assets/leak.txt',
      'app://oncall/assets',
      'app://oncall/missing.js',
    ]) {
      const res = await serve({ url, method: 'GET' });
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).toBe('');
    }
    expect((await serve({ url: APP_INDEX_URL, method: 'POST' })).status).toBe(405);
    expect(resolveAppPath(root, 'app://oncall/assets/index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'file:///etc/passwd')).toBeNull();
  });

  it('only the app:// page is a trusted IPC sender; its hash routes are the same page', () => {
    expect(isAppUrl('app://oncall/index.html', APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://oncall/index.html#/rota', APP_INDEX_URL)).toBe(true);
    for (const url of ['file:///app/dist/renderer/index.html', 'app://other/index.html', 'app://oncall/evil.html', 'https://oncall/index.html', ''])
      expect(isAppUrl(url, APP_INDEX_URL), url).toBe(false);
  });
});
