import { spawn } from 'node:child_process';
import { startPeer, type Peer } from './process';

/** One Notify call as seen on the session bus. */
export interface SeenNotification {
  appName: string;
  summary: string;
  body: string;
  urgency: number | null;
}

/**
 * A private desktop session: Xvfb, a D-Bus session bus, dunst as the notification server, and
 * dbus-monitor recording every Notify call. Nothing here touches the user's real session.
 */
export async function startDesktopSession() {
  const peers: Peer[] = [];
  // -displayfd makes Xvfb pick a free display and tell us which
  const xvfbProc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    xvfbProc.stdio[3]!.once('data', (d: Buffer) => resolve(`:${d.toString().trim()}`));
    xvfbProc.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  const xvfb: Peer = {
    proc: xvfbProc,
    output: [],
    waitForLine: () => Promise.reject(new Error('n/a')),
    stop: () =>
      new Promise((r) => {
        xvfbProc.once('exit', () => r());
        xvfbProc.kill();
      }),
  };
  peers.push(xvfb);

  const bus = startPeer('dbus-daemon', ['--session', '--nofork', '--print-address=1']);
  peers.push(bus);
  const address = (await bus.waitForLine(/^(unix:.+)$/, 'D-Bus session address'))[1]!;
  const env = { ...process.env, DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: address };

  // Watch the bus first so dunst's name acquisition is an event we see, not a poll.
  const monitor = startPeer('dbus-monitor', ['--session', "interface='org.freedesktop.Notifications',member='Notify'", "type='signal',member='NameOwnerChanged'"], { env });
  peers.push(monitor);
  // dbus-monitor drops its own bus name (NameLost) the moment it has become a monitor
  await monitor.waitForLine(/member=NameLost/, 'dbus-monitor attached');
  const dunst = startPeer('dunst', [], { env });
  peers.push(dunst);
  await monitor.waitForLine(/string "org\.freedesktop\.Notifications"/, 'dunst owning org.freedesktop.Notifications');

  const seen: SeenNotification[] = [];
  const waiters = new Set<() => void>();
  let current: { strings: string[]; urgency: number | null; afterUrgency: boolean } | null = null;
  monitor.proc.stdout!.on('data', (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (/^method call .*member=Notify$/.test(line)) current = { strings: [], urgency: null, afterUrgency: false };
      else if (current) {
        const str = /^ {3}string "(.*)"$/.exec(line);
        if (str) current.strings.push(str[1]!);
        if (/string "urgency"/.test(line)) current.afterUrgency = true;
        const byte = /byte (\d+)/.exec(line);
        if (byte && current.afterUrgency && current.urgency === null) current.urgency = Number(byte[1]);
        // the call is complete once its final top-level int32 (expire_timeout) arrives
        if (/^ {3}int32 -?\d+$/.test(line)) {
          const [appName = '', , summary = '', body = ''] = current.strings;
          seen.push({ appName, summary, body, urgency: current.urgency });
          current = null;
          waiters.forEach((w) => w());
        }
      }
    }
  });

  return {
    env,
    display,
    seen,
    /** Resolves with the first Notify call matching `pred`, past or future. */
    waitForNotification(pred: (n: SeenNotification) => boolean, timeoutMs = 15_000): Promise<SeenNotification> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = seen.find(pred);
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching notification; seen: ${JSON.stringify(seen)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      for (const p of peers.reverse()) await p.stop();
    },
  };
}
