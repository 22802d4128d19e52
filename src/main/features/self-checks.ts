import { execFile } from 'node:child_process';
import type { CheckResult } from '../../core/alarms/self-test';
import type { RouteStatus } from '../../core/ipc-contract';

/** One automatic check's outcome, as the self-test log records it (main adds the time). */
export type AutoCheck = Pick<CheckResult, 'check' | 'outcome' | 'reason'>;

/** Runs a program and gives its output; the real one is execFile with a short timeout. */
export type ProbeRunner = (program: string, args: string[]) => Promise<string>;

/** execFile, 3 s at most: a hanging audio server must not hold up the self-test. */
export const execProbe: ProbeRunner = (program, args) =>
  new Promise((resolve, reject) => {
    execFile(program, args, { timeout: 3_000, windowsHide: true }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });

/**
 * Whether the system output is muted, where that can be detected: PulseAudio/PipeWire's pactl on
 * Linux, AppleScript on macOS. Anything else, or a probe that fails, is "skipped", not a failure:
 * the user still confirms that the alarm was heard.
 */
export async function checkNotMuted(platform: string, run: ProbeRunner): Promise<AutoCheck> {
  const skipped: AutoCheck = { check: 'notMuted', outcome: 'skipped', reason: null };
  try {
    let muted: boolean | null = null;
    if (platform === 'linux') {
      const out = await run('pactl', ['get-sink-mute', '@DEFAULT_SINK@']);
      const m = /mute:\s*(yes|no)/i.exec(out);
      muted = m ? m[1]!.toLowerCase() === 'yes' : null;
    } else if (platform === 'darwin') {
      const out = (await run('osascript', ['-e', 'output muted of (get volume settings)'])).trim();
      muted = out === 'true' ? true : out === 'false' ? false : null;
    }
    if (muted === null) return skipped;
    return muted ? { check: 'notMuted', outcome: 'fail', reason: { code: 'alarms.systemMuted', params: {} } } : { check: 'notMuted', outcome: 'pass', reason: null };
  } catch {
    return skipped;
  }
}

/** A configured source as the sources feature reports it. */
export interface SourceHealth {
  name: string;
  enabled: boolean;
  state: string;
}

/**
 * The sources check: the listener runs, no route has been refused since its last good delivery,
 * and no enabled source is failing (unreachable, or its credentials refused).
 */
export function checkSources(listenerError: string | null, routes: RouteStatus[], sources: SourceHealth[] = []): AutoCheck {
  if (listenerError) return { check: 'sources', outcome: 'fail', reason: { code: 'listenerDown', params: {} } };
  const refused = routes.find((r) => r.refusal !== null);
  if (refused) return { check: 'sources', outcome: 'fail', reason: { code: 'alarms.sourceRefused', params: { source: refused.label, status: refused.refusal!.lastStatus } } };
  const failing = sources.find((s) => s.enabled && s.state === 'failing');
  if (failing) return { check: 'sources', outcome: 'fail', reason: { code: 'alarms.sourceFailing', params: { source: failing.name } } };
  return { check: 'sources', outcome: 'pass', reason: null };
}

/** The relay check: skipped without relays; otherwise every relay must be connected. */
export function checkRelay(relays: Array<{ name: string; state: string }>): AutoCheck {
  if (relays.length === 0) return { check: 'relay', outcome: 'skipped', reason: null };
  const down = relays.find((r) => r.state !== 'connected');
  if (down) return { check: 'relay', outcome: 'fail', reason: { code: 'alarms.relayDown', params: { relay: down.name, state: down.state } } };
  return { check: 'relay', outcome: 'pass', reason: null };
}
