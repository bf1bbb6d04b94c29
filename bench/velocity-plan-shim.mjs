// Bench only: `velocity plan` with `--mode M` and `--report FILE` for a build whose CLI does not parse them yet
// (the library's velocityPlan already takes `mode`). Same library call as src/cli/plan-command.ts, plain JS on dist/.
// Guarantees: the report says what really ran (`mode`) and `durationsMs` only where the build measures it (else null).
import { writeFileSync } from 'node:fs';
import { velocityPlan } from '../dist/index.js';
import { splitPlanArgs } from '../dist/tf/plan-args.js';

const argv = process.argv.slice(2);
const take = (flag) => {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const [, value] = argv.splice(i, 2);
  return value;
};
const mode = take('--mode') ?? 'auto';
const reportFile = take('--report');
const { velocity, binary, binaryArgv } = splitPlanArgs(argv);
const result = await velocityPlan({
  planArgs: binaryArgv,
  planFlags: binary,
  cwd: process.cwd(),
  env: process.env,
  ...(velocity.binary !== undefined ? { binary: velocity.binary } : {}),
  ...(velocity.state !== undefined ? { stateFile: velocity.state } : {}),
  changed: velocity.changed,
  strategy: velocity.strategy,
  mode,
  verboseRefresh: velocity.verboseRefresh,
  dryRun: velocity.dryRun,
  stdin: 'ignore',
  output: (stream, text) => (stream === 'stdout' ? process.stdout : process.stderr).write(text),
});
if (reportFile) {
  // NOTE: a build without `execution` on its result: a scoped plan without -target flags ran in the sub-workspace.
  const execution = result.execution ?? (result.mode === 'optimized' ? (result.targets.length > 0 || result.injectFallback ? 'target' : 'inject') : result.mode);
  writeFileSync(
    reportFile,
    JSON.stringify({
      mode: execution,
      total: result.total,
      cone: result.cone,
      refreshed: result.refreshed ?? null,
      targets: result.targets,
      fallbackReason: result.injectFallback ?? result.fallbackReason ?? null,
      subWorkspace: result.subWorkspace ?? null,
      durationsMs: result.durationsMs ?? null,
      shim: true,
    }),
  );
}
process.exitCode = result.exitCode;
