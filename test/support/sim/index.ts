// The simulated cloud provider for tests and benchmarks (not shipped): start it, point terraform at it, count reads.
// Explicit named re-exports only.
export { startSim } from './start-sim.js';
export { writeSimWorkspace } from './write-sim-workspace.js';
export { runTerraform, terraformBin, terraformAvailable } from './run-terraform.js';
export { startSimWorkspace } from './start-sim-workspace.js';
export { useSimSession } from './use-sim-session.js';
export { plannedChanges, refreshedAddresses, planDiagnostics } from './plan-json.js';
export { SimCloud } from './sim-cloud.js';
export { hostSim } from './sim-host.js';
export { SIM_PROVIDER_SOURCE, SIM_RESOURCE_TYPE, simId } from './sim-values.js';

export type { StartSimOptions, SimServer } from './start-sim.js';
export type { SimWorkspace, SimWorkspaceOptions, SimResourceRef } from './write-sim-workspace.js';
export type { TerraformRun, RunTerraformOptions } from './run-terraform.js';
export type { SimBehaviour, SimCounters, SimFailures } from './sim-cloud.js';
export type { SimSession } from './start-sim-workspace.js';
export type { PlannedChange, PlanDiagnostic } from './plan-json.js';
export type { SimEndpoints, HostedSim } from './sim-host.js';
export type { KnownSimObject } from './sim-values.js';
