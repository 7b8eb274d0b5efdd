/**
 * What the benchmark measures with: latency summaries, and the CPU time and memory of the
 * processes under test read from /proc (Linux), so that the API/worker process, the Temporal
 * server and PostgreSQL are measured apart.
 */
import fs from 'node:fs';

export interface LatencySummary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of unsorted values (ms). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function summarise(values: readonly number[]): LatencySummary {
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p90: round(percentile(values, 90)),
    p99: round(percentile(values, 99)),
    max: round(values.length ? Math.max(...values) : NaN),
    mean: round(values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN),
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, ms. */
  ownMs: number;
  /** cutime + cstime of waited-for children, ms. */
  childrenMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17, ppid 4.
  return {
    pid,
    ppid: Number(fields[1]),
    ownMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
    childrenMs: (Number(fields[13]) + Number(fields[14])) * TICK_MS,
  };
}

/** CPU time (ms) a process and every descendant used so far, exited ones included once reaped. */
export function treeCpuMs(rootPid: number): number {
  const stats: ProcStat[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(Number(entry));
    if (s) stats.push(s);
  }
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const root = stats.find((s) => s.pid === rootPid);
  if (!root) return NaN;
  let total = 0;
  const visit = (s: ProcStat) => {
    total += s.ownMs + s.childrenMs;
    for (const c of children.get(s.pid) ?? []) visit(c);
  };
  visit(root);
  return total;
}

/** The postmaster's PID of a PostgreSQL data directory (first line of postmaster.pid). */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** Resident set size now and its peak (VmHWM), MiB. */
export function rssMiB(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** The 1-, 5- and 15-minute load averages, as `uptime` prints them. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a, b, c];
}

export interface CpuReading {
  atMs: number;
  ms: Record<string, number>;
}

/**
 * Named processes whose CPU time is read before and after a stretch of work. `idle()` measures
 * what each uses doing nothing (timers, pollers, the reconciler), which `net()` then subtracts,
 * so short stretches are not dominated by it.
 */
export class CpuMeter {
  private idlePerMs: Record<string, number> = {};

  constructor(private readonly pids: Record<string, number | undefined>) {}

  read(): CpuReading {
    const ms: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      if (pid === undefined) ms[name] = NaN;
      else if (pid === process.pid) ms[name] = (process.cpuUsage().user + process.cpuUsage().system) / 1000;
      else ms[name] = treeCpuMs(pid);
    }
    return { atMs: performance.now(), ms };
  }

  async idle(durationMs: number): Promise<Record<string, number>> {
    const before = this.read();
    await new Promise((r) => setTimeout(r, durationMs));
    const after = this.read();
    this.idlePerMs = Object.fromEntries(
      Object.keys(after.ms).map((k) => [k, (after.ms[k] - before.ms[k]) / (after.atMs - before.atMs)]),
    );
    return Object.fromEntries(Object.entries(this.idlePerMs).map(([k, v]) => [k, Math.round(v * 1000)]));
  }

  /** CPU ms used between two readings, less what the processes use when idle. */
  net(before: CpuReading, after: CpuReading): Record<string, number> {
    const span = after.atMs - before.atMs;
    return Object.fromEntries(
      Object.keys(after.ms).map((k) => [k, Math.max(after.ms[k] - before.ms[k] - (this.idlePerMs[k] ?? 0) * span, 0)]),
    );
  }

  static delta(before: CpuReading, after: CpuReading): Record<string, number> {
    return Object.fromEntries(Object.keys(after.ms).map((k) => [k, after.ms[k] - before.ms[k]]));
  }
}
