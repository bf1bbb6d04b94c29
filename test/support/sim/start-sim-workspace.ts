// startSimWorkspace: one call for the common test setup: a sim, a fresh temp workspace in the customers shape, and a
// `terraform(args)` bound to both. Guarantees: stop() stops the sim and removes the workspace, even after a failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTerraform, type TerraformRun } from './run-terraform.js';
import { startSim, type SimServer, type StartSimOptions } from './start-sim.js';
import { writeSimWorkspace, type SimWorkspace, type SimWorkspaceOptions } from './write-sim-workspace.js';

/** A sim and a workspace wired to it. */
export interface SimSession {
  readonly sim: SimServer;
  readonly workspace: SimWorkspace;
  /** Run terraform in the workspace with the sim's reattach env. */
  terraform(args: readonly string[], options?: { timeoutMs?: number; env?: Record<string, string>; measure?: boolean }): Promise<TerraformRun>;
  /** Stop the sim and delete the workspace. Idempotent. */
  stop(): Promise<void>;
}

/** Start a sim and write a workspace for it. O(resources) + sim start-up. */
export async function startSimWorkspace(options: { workspace: SimWorkspaceOptions; sim?: StartSimOptions }): Promise<SimSession> {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-sim-ws-'));
  let sim: SimServer;
  let workspace: SimWorkspace;
  try {
    workspace = writeSimWorkspace(dir, options.workspace);
    sim = await startSim(options.sim);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    sim,
    workspace,
    terraform: (args, o) => {
      const run: Parameters<typeof runTerraform>[1] = { cwd: dir, env: { ...sim.reattachEnv(), ...o?.env } };
      if (o?.timeoutMs !== undefined) run.timeoutMs = o.timeoutMs;
      if (o?.measure !== undefined) run.measure = o.measure;
      return runTerraform(args, run);
    },
    stop: () => {
      stopped ??= sim.stop().finally(() => rmSync(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}
