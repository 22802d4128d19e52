import { describe, expect, it } from 'vitest';
import { createNodeNotifier, notificationClicksSupported } from '../../src/main/services/notifier';

function recorder(fail?: Error) {
  const calls: Array<Record<string, unknown>> = [];
  return {
    calls,
    backend: {
      notify(options: Record<string, unknown>, cb?: (err: Error | null) => void) {
        calls.push(options);
        cb?.(fail ?? null);
      },
    },
  };
}

describe('node-notifier adapter', () => {
  it('passes title, body, urgency and app name; critical pages never time out', () => {
    const r = recorder();
    createNodeNotifier({ backend: r.backend, appName: 'On-Call Companion' }).notify({ title: 'Disk · P1', body: 'full — db-1', urgency: 'critical', pageId: 'x' });
    expect(r.calls[0]).toMatchObject({ title: 'Disk · P1', message: 'full — db-1', urgency: 'critical', 'app-name': 'On-Call Companion', timeout: 0 });
  });

  it('strips control characters, escapes markup and caps length of attacker-reachable text', () => {
    const r = recorder();
    createNodeNotifier({ backend: r.backend, appName: 'a' }).notify({ title: 'A\nB\u0007', body: `<b>x</b> & ${'y'.repeat(900)}`, urgency: 'normal', pageId: 'x' });
    expect(r.calls[0]!['title']).toBe('A B');
    const message = r.calls[0]!['message'] as string;
    expect(message.startsWith('&lt;b&gt;x&lt;/b&gt; &amp; y')).toBe(true);
    expect(message.length).toBeLessThan(540);
  });

  it('uses the title as body when there is no summary (notify-send refuses an empty one)', () => {
    const r = recorder();
    createNodeNotifier({ backend: r.backend, appName: 'a' }).notify({ title: 'Down · P2', body: '', urgency: 'critical', pageId: 'x' });
    expect(r.calls[0]!['message']).toBe('Down · P2');
  });

  it('reports a failing backend instead of throwing', () => {
    const errors: Error[] = [];
    const r = recorder(new Error('notify-send must be installed on the system.'));
    const n = createNodeNotifier({ backend: r.backend, appName: 'a', onError: (e) => errors.push(e) });
    expect(() => n.notify({ title: 't', body: 'b', urgency: 'normal', pageId: 'x' })).not.toThrow();
    expect(errors.map((e) => e.message)).toEqual(['notify-send must be installed on the system.']);
  });
});

describe('a click on a notification', () => {
  function answering(response: unknown, metadata?: unknown) {
    const calls: Array<Record<string, unknown>> = [];
    const notify = (o: Record<string, unknown>, cb?: (e: Error | null, r?: unknown, m?: unknown) => void) => {
      calls.push(o);
      cb?.(null, response, metadata);
    };
    return { calls, backend: { notify } };
  }
  const page = { title: 'Disk · P1', body: 'full', urgency: 'critical' as const, pageId: 'p', route: '#/pages/disk' };

  it('opens the app at the page where the OS reports clicks (macOS activate, Windows click)', () => {
    for (const [response, metadata] of [['activate', { activationType: 'contentsClicked' }], ['clicked', undefined]] as const) {
      const opened: string[] = [];
      const r = answering(response, metadata);
      createNodeNotifier({ backend: r.backend, appName: 'a', onClick: (c) => void opened.push(c.route!) }).notify(page);
      expect(r.calls[0]!['wait']).toBe(true);
      expect(opened).toEqual(['#/pages/disk']);
    }
  });

  it('a timeout or a dismissal opens nothing, and without a click handler nothing waits', () => {
    const opened: string[] = [];
    for (const response of ['timeout', 'dismissed', undefined]) {
      createNodeNotifier({ backend: answering(response).backend, appName: 'a', onClick: (c) => void opened.push(c.route!) }).notify(page);
    }
    expect(opened).toEqual([]);
    const r = answering('activate');
    createNodeNotifier({ backend: r.backend, appName: 'a' }).notify(page);
    expect(r.calls[0]!['wait']).toBe(false);
  });

  it('clicks are asked for only on macOS and Windows', () => {
    expect(['darwin', 'win32', 'linux'].map(notificationClicksSupported)).toEqual([true, true, false]);
  });
});
