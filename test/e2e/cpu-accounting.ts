// CPU accounting for the latency benches (bench/relay.ts), from Linux's /proc: a thread's time on a CPU
// and waiting for one, the machine's busy share, and the cores this process tree used. Elsewhere the
// functions answer null or nothing, and the bench leaves those lines out.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The calling thread's time on a CPU and waiting for one (ms), from Linux's /proc/thread-self/schedstat;
 * null elsewhere. Waiting is time the thread was runnable but other work held both cores.
 */
export function threadCpu(): { onCpu: number; waiting: number } | null {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { onCpu: run! / 1e6, waiting: wait! / 1e6 };
  } catch {
    return null;
  }
}

/** Busy and total CPU jiffies of the whole machine (all cores), from /proc/stat; null elsewhere. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = v.map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    return { busy: total - n[3]! - n[4]!, total };
  } catch {
    return null;
  }
}

/** CPU time (ms) of this process and every process under it, by pid, with its command name; empty off Linux. */
export function treeCpu(): Map<number, { comm: string; ms: number }> {
  const all = new Map<number, { ppid: number; comm: string; ms: number }>();
  const tick = 10; // USER_HZ is 100 on Linux
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return new Map();
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      all.set(Number(pid), { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * tick });
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Map<number, { comm: string; ms: number }>();
  const isMine = (pid: number): boolean => pid === process.pid || (all.has(pid) && pid > 1 && isMine(all.get(pid)!.ppid));
  for (const [pid, p] of all) {
    if (!isMine(pid)) continue;
    let comm = p.comm;
    if (/chrom/i.test(comm)) {
      // which Chromium process: the renderer (the app's page), the browser, the GPU or network service
      let type = 'browser';
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
        type = args.find((a) => a.startsWith('--utility-sub-type='))?.split('=')[1]?.replace(/\.mojom\..*$/, '') ?? args.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
      } catch {
        // gone meanwhile
      }
      comm = `Chromium ${type}`;
    }
    mine.set(pid, { comm, ms: p.ms });
  }
  return mine;
}

/** Cores used over `wallMs` by this process, the relay, Chromium and the rest of this process tree. */
export function ownCores(before: ReturnType<typeof treeCpu>, after: ReturnType<typeof treeCpu>, wallMs: number, relayPid: number): { total: number; text: string } {
  const groups = new Map<string, number>();
  for (const [pid, p] of after) {
    const name = pid === process.pid ? 'this process (all threads)' : pid === relayPid ? 'relay' : p.comm;
    groups.set(name, (groups.get(name) ?? 0) + p.ms - (before.get(pid)?.ms ?? 0));
  }
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  return { total: total / wallMs, text: `${(total / wallMs).toFixed(2)} cores: ${[...groups].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / wallMs).toFixed(2)}`).join(', ')}` };
}

/** CPU time (ms) of each thread of this process, by thread id, with the name Linux knows it by; empty off Linux. */
export function processThreadsCpu(): Map<number, { comm: string; ms: number }> {
  const out = new Map<number, { comm: string; ms: number }>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      out.set(Number(tid), { comm: stat.slice(stat.indexOf('(') + 1, close), ms: (Number(f[11]) + Number(f[12])) * 10 });
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/** The calling thread's Linux thread id, or null elsewhere. */
export function threadId(): number | null {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  } catch {
    return null;
  }
}

/** Cores used over `wallMs` by this process's threads, grouped by the names given (others: "other threads"), busiest first. */
export function threadCores(before: ReturnType<typeof processThreadsCpu>, after: ReturnType<typeof processThreadsCpu>, wallMs: number, names: Map<number, string>): string {
  const groups = new Map<string, number>();
  for (const [tid, t] of after) {
    const name = names.get(tid) ?? (tid === process.pid ? 'this thread' : `other threads (V8, libuv, import workers)`);
    groups.set(name, (groups.get(name) ?? 0) + t.ms - (before.get(tid)?.ms ?? 0));
  }
  return [...groups]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${(v / wallMs).toFixed(2)}`)
    .join(', ');
}
