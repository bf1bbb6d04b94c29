// The probe change detector: `<bin> plan -refresh=false -input=false -out=TMP` with the user's flags, then
// `<bin> show -json TMP`; every resource change that is not a no-op is in the changed set. No managed resource is
// read (refresh is off). It may over-report (a value unknown until apply) but never misses a resource change; it
// cannot see a provider configuration change (the default detector rules that out before delegating here).

import { join } from 'node:path';
import { parsePlanChangesText } from '../tf/parse-plan-json.js';
import { runBinary } from '../tf/run-binary.js';
import type { ChangeDetector, DetectContext, DetectResult } from './change-detector.js';

export const probeDetector: ChangeDetector = {
  name: 'probe',
  applies: () => true,
  async detect(ctx: DetectContext): Promise<DetectResult> {
    const started = performance.now();
    const planFile = join(ctx.tmpDir, 'velocity-probe.tfplan');
    const common = { cwd: ctx.cwd, env: ctx.env, ...(ctx.signal ? { signal: ctx.signal } : {}) };
    const plan = await runBinary(ctx.binary, [...ctx.globalArgs, 'plan', '-refresh=false', '-input=false', `-out=${planFile}`, ...ctx.planArgs], common);
    if (plan.exitCode !== 0) return { source: 'probe', changed: [], tookMs: performance.now() - started, failure: plan };
    const show = await runBinary(ctx.binary, [...ctx.globalArgs, 'show', '-json', planFile], common);
    if (show.exitCode !== 0) return { source: 'probe', changed: [], tookMs: performance.now() - started, failure: show };
    const changes = parsePlanChangesText(show.stdout);
    const tookMs = performance.now() - started;
    const first = changes.unscopable[0];
    if (first) {
      const more = changes.unscopable.length > 1 ? ` (and ${changes.unscopable.length - 1} more)` : '';
      return {
        source: 'probe',
        changed: changes.changed,
        creates: changes.creates,
        fallback: { to: 'full', reason: `${first.address} is ${first.reason}${more}` },
        tookMs,
      };
    }
    return { source: 'probe', changed: changes.changed, creates: changes.creates, outputs: changes.outputs, tookMs };
  },
};
