// `velocity apply`: `tofu apply` / `terraform apply` scoped to the change cone, then (inject mode) merged back into
// the real state. velocity's own options are `--flags`; every single-dash flag is the binary's and passes through
// verbatim. The exit code is the binary's; a merge that cannot be written is a typed error naming the kept sub-state.

import { velocityApply } from '../apply/velocity-apply.js';
import { splitPlanArgs } from '../tf/plan-args.js';
import type { Command } from './cli-io.js';
import { planRunOptions } from './plan-run-options.js';

const USAGE = `usage: velocity apply [velocity options] [PLANFILE] [tofu/terraform apply flags]

Without PLANFILE: finds the change (as \`velocity plan\` does), plans and applies it in one run of
\`<bin> apply\`, which shows the plan and asks for confirmation as it always does (-auto-approve skips it).
In inject mode the apply runs in a sub-workspace holding only the change cone; its state is then merged
into the real state (compare-and-swap on serial and lineage; a local state is rewritten atomically
under Terraform's lock, keeping terraform.tfstate.backup; any other backend gets \`<bin> state push\`).
With PLANFILE from \`velocity plan -out=PLANFILE\`: applies that plan where it was planned (and merges).
After a successful apply that covered every change, the ledger is recorded: the next \`velocity plan\`
compares fingerprints instead of running a probe.

velocity options:
  --changed ADDR          the change (repeatable); without it velocity reads the ledger, or runs a probe
  --probe MODE            show-json (default) or stream: how the probe finds the change
  --binary PATH           tofu/terraform to run (default: $VELOCITY_TF_BINARY, then tofu, then terraform on PATH)
  --mode M                auto (default), inject, target or full: as for \`velocity plan\`
  --refresh-strategy S    older spelling: full = --mode full, optimized = --mode auto
  --report FILE           write the run's JSON report (as \`velocity plan --report\`) to FILE
  --drift-budget K        also refresh (and apply) the ceil(N/K) instances refreshed longest ago, as for
                          \`velocity plan\`: drift there is planned and applied like a change
  --verbose-refresh       list every resource as refreshed or served from cached state
  --lock-scope S          on a velocity server (\`velocity serve\`), an inject-mode run locks there:
                          cone (default: the addresses it refreshes, owns and creates) or state (all of it)
  --dry-run-refresh       print the scope and the command, run nothing
  --help                  this text

If the real state moved since the plan (another apply), nothing is written: error[STATE_MOVED] names both
serials and the kept sub-workspace; \`velocity merge DIR\` merges a kept sub-workspace later.
Everything else (-auto-approve, -var, -var-file, -target, -lock, -lock-timeout, -parallelism, -json,
-no-color, -input...) goes to \`<bin> apply\` unchanged. With -json, velocity's own lines go to stderr.
`;

export const applyCommand: Command = async (args, io) => {
  const split = splitPlanArgs(args);
  if (split.velocity.help) {
    io.stdout(USAGE);
    return 0;
  }
  // NOTE: the binary asks for confirmation on velocity's own stdin, as it would without velocity.
  const result = await velocityApply(planRunOptions(split, io, 'inherit'));
  return result.exitCode;
};
