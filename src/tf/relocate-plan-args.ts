// Plan flags that name files (-var-file, -out, -target-file, -exclude-file), made absolute against the directory the
// binary would have run in, so the same flags work when the binary runs in another directory (a sub-workspace).
// Guarantees: every other argument is kept verbatim and in order.

import { isAbsolute, resolve } from 'node:path';

const PATH_FLAGS = new Set(['var-file', 'out', 'target-file', 'exclude-file']);

/** `args` with the value of each path flag resolved against `baseDir`. O(args). */
export function relocatePlanArgs(args: readonly string[], baseDir: string): string[] {
  const out: string[] = [];
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const m = /^(-{1,2})([A-Za-z][A-Za-z0-9-]*)(=([\s\S]*))?$/.exec(arg);
    if (!m || !PATH_FLAGS.has(m[2] as string)) {
      out.push(arg);
      continue;
    }
    if (m[3] !== undefined) out.push(`${m[1]}${m[2]}=${abs(m[4] as string)}`);
    else {
      out.push(arg);
      const value = args[i + 1];
      if (value !== undefined) {
        out.push(abs(value));
        i++;
      }
    }
  }
  return out;
}
