// Every sentence velocity says about an apply beyond the plan's: where the sub-workspace applies, the merge into
// the real state, the ledger. Guarantees: it decides nothing; one line per call, on the sink it was given.

import type { CommitResult } from './commit-sub-state.js';

export class ApplyReporter {
  readonly #say: (line: string) => void;

  constructor(say: (line: string) => void) {
    this.#say = say;
  }

  /** Before the binary applies in a sub-workspace: where its state is if the run dies. */
  applyingIn(dir: string): void {
    this.#say(`Velocity: applying in the sub-workspace ${dir} (if this run is interrupted, \`velocity merge ${dir}\` merges what it applied)`);
  }

  /** The merge's outcome. */
  merged(result: CommitResult, fromSerial: number): void {
    if (result.kind === 'unchanged') {
      this.#say(`Velocity: the sub-workspace's state is unchanged: the real state stays at serial ${fromSerial}`);
      return;
    }
    const r = result.summary.resources;
    const o = result.summary.outputs;
    this.#say(
      `Velocity: merged the sub-workspace into the state: serial ${fromSerial} -> ${result.serial} (resources: ${r.replaced} replaced, ${r.added} added, ${r.removed} removed; outputs: ${o.replaced} replaced, ${o.added} added, ${o.removed} removed)`,
    );
  }

  /** A saved plan velocity did not write: applied as the binary would. */
  unknownPlanFile(planFile: string): void {
    this.#say(`Velocity: ${planFile} is not a plan velocity saved in this workspace: applying it as it is`);
  }
}
