// Why: a pending reservation whose process died can never be committed, so its budget must come
// back — but a live caller's reservation must not be refunded under its feet, and worker threads
// of one process share its pid. Each reservation records host, pid and the owning process's start
// time (from /proc on Linux). On open we refund reservations whose process on this host no longer
// exists, whose pid now belongs to a different process (pid reuse, e.g. pid 1 after a container
// restart), or that belong to an earlier incarnation of this process. Anything else (another host,
// no /proc) is refunded when its reservation expires.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomHex } from '@privet/core/hex';

/** Identity of one open ledger. */
export interface Owner {
  host: string;
  pid: number;
  /** Start time of the owning process ("proc:<ticks>" on Linux, "up:<ms>" elsewhere). */
  started: string;
  /** Random id of this ledger instance (to refund its own reservations on close). */
  instance: string;
}

/** Start time of a process from /proc/<pid>/stat (field 22), or undefined when unavailable. */
function procStart(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19]; // field 22 overall; fields here start at field 3
    return ticks ? `proc:${ticks}` : undefined;
  } catch {
    return undefined;
  }
}

function selfStart(): string {
  return procStart('self') ?? `up:${Math.round(Date.now() - process.uptime() * 1000)}`;
}

function sameStart(a: string, b: string): boolean {
  if (a.startsWith('up:') && b.startsWith('up:')) {
    return Math.abs(Number(a.slice(3)) - Number(b.slice(3))) < 2000;
  }
  return a === b;
}

/** A fresh identity for a ledger opened in this process. */
export function newOwner(): Owner {
  const instance = randomHex(8);
  return { host: hostname(), pid: process.pid, started: selfStart(), instance };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the recorded owner process certainly no longer runs. */
export function ownerGone(o: {
  owner_host: string;
  owner_pid: number;
  owner_started: string;
}): boolean {
  if (o.owner_host !== hostname()) return false;
  if (o.owner_pid === process.pid) return !sameStart(o.owner_started, selfStart());
  if (!pidAlive(o.owner_pid)) return true;
  const now = procStart(o.owner_pid);
  return now !== undefined && o.owner_started.startsWith('proc:') && now !== o.owner_started;
}
