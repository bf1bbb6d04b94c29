// The command table: name → lazy import, so `velocity cone` never loads the code of `velocity plan`.
import type { Command } from './cli-io.js';

export interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const commands: Readonly<Record<string, CommandEntry>> = {
  apply: { summary: 'run tofu/terraform apply scoped to the change cone, merged back into the state', load: async () => (await import('./apply-command.js')).applyCommand },
  db: { summary: 'migrate velocity\'s PostgreSQL schema (db migrate up|down|status)', load: async () => (await import('./db-command.js')).dbCommand },
  cone: { summary: 'print the top (upstream) or bottom (downstream) cone of addresses', load: async () => (await import('./cone-command.js')).coneCommand },
  deps: { summary: 'dependencies between states: which go stale when an output changes, and the order to re-plan them', load: async () => (await import('./deps-command.js')).depsCommand },
  detect: { summary: 'what changed in the configuration since the last apply, without a plan', load: async () => (await import('./detect-command.js')).detectCommand },
  ledger: { summary: 'record block fingerprints after an apply (ledger record)', load: async () => (await import('./ledger-command.js')).ledgerCommand },
  merge: { summary: 'merge the state of a kept sub-workspace (an interrupted apply) into the real state', load: async () => (await import('./merge-command.js')).mergeCommand },
  plan: { summary: 'run tofu/terraform plan scoped to the change cone (same flags, same exit codes)', load: async () => (await import('./plan-command.js')).planCommand },
  lock: { summary: 'lock resources (all or none) and print the lock id', load: async () => (await import('./lock-command.js')).lockCommand },
  locks: { summary: 'list who holds which resource locks', load: async () => (await import('./locks-command.js')).locksCommand },
  drift: { summary: 'list what changed outside Terraform: a refresh-only plan of the instances refreshed longest ago, or of all', load: async () => (await import('./drift-command.js')).driftCommand },
  graph: { summary: 'export the dependency graph as DOT, Mermaid, JSON, GraphML, GEXF or an interactive HTML page', load: async () => (await import('./graph-command.js')).graphCommand },
  serve: { summary: 'run the Terraform http state backend on PostgreSQL (states as rows, history, locks)', load: async () => (await import('./serve-command.js')).serveCommand },
  state: { summary: 'create, list, init, history and rollback states on a velocity server', load: async () => (await import('./state-command.js')).stateCommand },
  scope: { summary: 'compute the refresh scope of a change', load: async () => (await import('./scope-command.js')).scopeCommand },
  synth: { summary: 'write a synthetic workspace (config + matching tfstate) of N resources', load: async () => (await import('./synth-command.js')).synthCommand },
  unlock: { summary: 'release a lock by its id', load: async () => (await import('./unlock-command.js')).unlockCommand },
};
