/** Types of scripts/leftovers.cjs (plain CommonJS so the reaper starts in milliseconds). */
export interface RecordedChild {
  name: string;
  pid: number;
  /** Text the process's command line must hold for the PID to be ours (data directory, state file). */
  marker: string;
  /** The signal that stops it (default SIGTERM; PostgreSQL: SIGINT, a fast shutdown). */
  signal?: string;
}
export interface RunRecord {
  runPid: number;
  runMarker: string;
  startedAt: string;
  children: RecordedChild[];
}
export function alive(pid: number): boolean;
export function cmdline(pid: number): string;
export function isOurs(pid: number, marker: string): boolean;
export function readRecord(file: string): RunRecord | undefined;
export function writeRecord(file: string, record: RunRecord): void;
export function stopChildren(
  children: RecordedChild[],
  graceMs?: number,
  say?: (line: string) => void,
): Promise<string[]>;
export function stopLeftovers(file: string, say?: (line: string) => void): Promise<string[]>;
