// The library options of one `velocity plan` or `velocity apply` invocation, built from its split argv: the two
// commands take the same velocity flags and hand the binary's flags over parsed once.
// Guarantees: only flags the user gave are set (the library's defaults apply to the rest).

import { defaultDetector } from '../detect/default-detector.js';
import { streamProbeDetector } from '../detect/stream-probe-detector.js';
import type { VelocityPlanOptions } from '../plan/velocity-plan.js';
import type { SplitPlanArgs } from '../tf/plan-args.js';
import type { CliIo } from './cli-io.js';

/** velocityPlan / velocityApply options for `split`; `stdin` as the command wants it. O(flags). */
export function planRunOptions(split: SplitPlanArgs, io: CliIo, stdin: 'inherit' | 'ignore'): VelocityPlanOptions {
  const { velocity, binary, binaryArgv } = split;
  // Ctrl-C/SIGTERM reach the binary through velocity, which waits for it (so it releases the state lock).
  const signal = io.interrupts?.take();
  return {
    ...(signal ? { signal } : {}),
    planArgs: binaryArgv,
    planFlags: binary, // parsed once, here
    cwd: io.cwd,
    env: io.env,
    ...(velocity.binary !== undefined ? { binary: velocity.binary } : {}),
    ...(velocity.state !== undefined ? { stateFile: velocity.state } : {}),
    ...(velocity.report !== undefined ? { report: velocity.report } : {}),
    changed: velocity.changed,
    ...(velocity.driftBudget !== undefined ? { driftBudget: velocity.driftBudget } : {}),
    mode: velocity.mode,
    lockScope: velocity.lockScope,
    verboseRefresh: velocity.verboseRefresh,
    dryRun: velocity.dryRun,
    ...(velocity.probe === 'stream' ? { detector: defaultDetector({ fallback: streamProbeDetector }) } : {}),
    stdin,
    output: (stream, text) => (stream === 'stdout' ? io.stdout(text) : io.stderr(text)),
  };
}
