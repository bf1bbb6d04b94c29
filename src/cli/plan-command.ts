// `velocity plan`: `tofu plan` / `terraform plan` scoped to the change cone. velocity's own options are `--flags`;
// every single-dash flag is the binary's and passes through verbatim. The exit code is the binary's.

import { velocityPlan } from '../plan/velocity-plan.js';
import { splitPlanArgs } from '../tf/plan-args.js';
import type { Command } from './cli-io.js';
import { planRunOptions } from './plan-run-options.js';

const USAGE = `usage: velocity plan [velocity options] [tofu/terraform plan flags]

velocity options:
  --changed ADDR          the change (repeatable); without it (or -target) velocity compares the
                          configuration with the ledger of \`velocity ledger record\` (run it after each
                          apply), or runs a probe \`plan -refresh=false\` when there is no valid ledger
  --probe MODE            show-json (default: \`plan -refresh=false -out\` + \`show -json\`) or stream
                          (one \`plan -refresh=false -json\`, read as it streams: one binary run less)
  --state FILE            read the state from FILE instead of \`<bin> state pull\`
  --binary PATH           tofu/terraform to run (default: $VELOCITY_TF_BINARY, then tofu, then terraform on PATH)
  --mode M                auto (default: inject where it is sound, else target, saying why), inject (a
                          sub-workspace holding only the change cone; falls back to target, saying why),
                          target (-target flags for the change cone; with Terraform >= 1.17 also
                          -minimal-refresh) or full (plain pass-through)
  --refresh-strategy S    older spelling: full = --mode full, optimized = --mode auto (must agree with --mode)
  --report FILE           after the plan (also a dry run or a failed probe), write one JSON object to FILE
                          (atomically): mode (what ran), total, cone, refreshed, refreshedAddresses,
                          targets, fallbackReason, subWorkspace, durationsMs {load, detect, scope,
                          synthesize, binary}. If FILE cannot be written: error[OUTPUT_WRITE], exit 1
                          whatever the plan's exit code (the message gives it)
  --drift-budget K        also refresh (and plan) the ceil(N/K) instances refreshed longest ago, so every
                          instance is read fresh at least once in any K consecutive runs (history:
                          .velocity/refresh-history.json, recorded after each successful plan)
  --verbose-refresh       list every resource as refreshed or served from cached state
  --lock-scope S          on a velocity server (\`velocity serve\`), an inject-mode run locks there:
                          cone (default: the addresses it refreshes, owns and creates) or state (all of it)
  --dry-run-refresh       print the scope and the command, run nothing
  --help                  this text

Everything else (-var, -var-file, -target, -out, -lock, -parallelism, -detailed-exitcode, -json, -no-color...)
goes to \`<bin> plan\` unchanged. With -json, velocity's own lines go to stderr.
`;

export const planCommand: Command = async (args, io) => {
  const split = splitPlanArgs(args);
  if (split.velocity.help) {
    io.stdout(USAGE);
    return 0;
  }
  const result = await velocityPlan(planRunOptions(split, io, io.isTTY ? 'inherit' : 'ignore'));
  return result.exitCode;
};
