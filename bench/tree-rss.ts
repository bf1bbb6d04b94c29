// Peak resident memory of a whole process tree (velocity + the terraform it starts): samples VmRSS of a root pid and
// of all its live descendants from /proc every ~20 ms and keeps the largest sum over processes alive at one sample.
// Guarantees: never signals or waits for a process; a process that vanishes mid-sample counts 0; Linux only (/proc).

import { readdirSync, readFileSync } from 'node:fs';

export interface TreeRss {
  /** Largest sum of VmRSS over the processes of the tree alive at the same sample, in KiB. */
  readonly peakKiB: number;
  /** Processes in the tree at the sample that gave peakKiB. */
  readonly peakProcesses: number;
  /** Most processes seen in the tree at one sample. */
  readonly maxProcesses: number;
  /**
   * Sum over every process ever seen of its own high-water mark (VmHWM, last read): an upper bound of the true peak,
   * which a 20 ms sample can miss for short spikes (peakKiB is a lower bound).
   */
  readonly hwmSumKiB: number;
  readonly samples: number;
}

export interface TreeRssSampler {
  /** The figures so far (the sampler keeps running). */
  current(): TreeRss;
  /** Takes one last sample, stops the timer, returns the figures. Idempotent. */
  stop(): TreeRss;
}

const statusField = (status: string, field: string): number => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
};

const readOrNull = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // gone (or not ours): counts nothing
  }
};

/** Child pids of `pid`, from /proc/<pid>/task/<tid>/children (every thread may have forked). O(threads + children). */
function childrenOf(pid: number): number[] | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    const text = readOrNull(`/proc/${pid}/task/${tid}/children`);
    if (text === null) {
      if (readOrNull(`/proc/${pid}/task/${tid}/stat`) !== null) return null; // kernel without CONFIG_PROC_CHILDREN
      continue;
    }
    for (const p of text.trim().split(/\s+/)) if (p !== '') out.push(Number(p));
  }
  return out;
}

/** Parent → children from every /proc/<pid>/stat: the fallback when the children files are missing. O(processes). */
function childrenMapByScan(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOrNull(`/proc/${name}/stat`);
    if (stat === null) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = map.get(ppid) ?? [];
    list.push(Number(name));
    map.set(ppid, list);
  }
  return map;
}

/** The root and every live descendant, root first. O(tree) (O(processes on the machine) on the fallback). */
export function treeOf(root: number): number[] {
  const seen = [root];
  let scanned: Map<number, number[]> | undefined;
  for (let i = 0; i < seen.length; i++) {
    const pid = seen[i] as number;
    let kids = scanned ? (scanned.get(pid) ?? []) : childrenOf(pid);
    if (kids === null) {
      scanned = childrenMapByScan();
      kids = scanned.get(pid) ?? [];
    }
    for (const k of kids) if (!seen.includes(k)) seen.push(k);
  }
  return seen;
}

/**
 * Starts sampling the tree under `rootPid` now and every `intervalMs` (a timer in this process's event loop, so
 * keep the loop free while measuring: spawn and await, no synchronous work). Each sample costs O(tree) small reads.
 */
export function startTreeRssSampler(rootPid: number, intervalMs = 20): TreeRssSampler {
  let peakKiB = 0;
  let peakProcesses = 0;
  let maxProcesses = 0;
  let samples = 0;
  const hwm = new Map<number, number>();
  const sample = (): void => {
    let sum = 0;
    let alive = 0;
    for (const pid of treeOf(rootPid)) {
      const status = readOrNull(`/proc/${pid}/status`);
      if (status === null) continue;
      alive++;
      sum += statusField(status, 'VmRSS');
      // NOTE: a pid is only reused after its process is reaped; within one measured tree this is good enough.
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, statusField(status, 'VmHWM')));
    }
    samples++;
    maxProcesses = Math.max(maxProcesses, alive);
    if (sum > peakKiB) {
      peakKiB = sum;
      peakProcesses = alive;
    }
  };
  const figures = (): TreeRss => ({ peakKiB, peakProcesses, maxProcesses, hwmSumKiB: [...hwm.values()].reduce((a, b) => a + b, 0), samples });
  sample();
  const timer = setInterval(sample, intervalMs);
  let final: TreeRss | undefined;
  return {
    current: figures,
    stop: () => {
      if (!final) {
        clearInterval(timer);
        sample();
        final = figures();
      }
      return final;
    },
  };
}
