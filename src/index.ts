// velocity's public library API: an explicit list, values first, then types.

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
export {
  formatKey,
  formatModulePath,
  formatResourceAddress,
  formatTarget,
  parseModulePath,
  parseResourceAddress,
  parseTarget,
  quoteKey,
} from './state/address.js';
export { loadState } from './state/load-state.js';
export { parseState } from './state/parse-state.js';
export { readInstanceAttributes } from './state/read-instance-attributes.js';
export { scanState } from './state/scan-state.js';
export { WasmKernelUnavailableError } from './state/wasm-scan-kernel.js';
export { buildIndex } from './graph/build-index.js';
export { findCycles } from './graph/find-cycles.js';
export { decodeIndexSnapshot, encodeIndexSnapshot, SNAPSHOT_FORMAT } from './graph/index-snapshot.js';
export { loadStateGraph } from './graph/load-state-graph.js';
export { SnapshotInvalidError } from './graph/snapshot-errors.js';
export { defaultCacheDir, SnapshotStore } from './graph/snapshot-store.js';
export { ResourceIndex } from './graph/resource-index.js';
export { StateGraph } from './graph/state-graph.js';
export { bottomCone } from './cone/bottom-cone.js';
export { changeCone, changeConeIds } from './cone/change-cone.js';
export { ConeCache } from './engine/cone-cache.js';
export { minimalSubgraph } from './cone/minimal-subgraph.js';
export { reduction } from './cone/reduction.js';
export { savingsLine } from './cone/savings-line.js';
export { topCone } from './cone/top-cone.js';
export { walkCone } from './cone/walk-cone.js';
export { describeReason } from './engine/refresh-scope.js';
export { VelocityEngine } from './engine/velocity-engine.js';
export { SynthOptionsError } from './synth/synth-errors.js';
export { SYNTH_SHAPES, synthWorkspace } from './synth/synth-workspace.js';
export { ConfigParseError, VariableInputError } from './config/config-errors.js';
export { GitRefError, LedgerFormatError } from './detect/detect-errors.js';
export { ConfigChangeDetector } from './detect/config-change-detector.js';
export { fingerprintConfig } from './detect/fingerprint-config.js';
export { defaultLedgerPath, readLedger, writeLedger } from './detect/ledger.js';
export { readAtGitRef } from './detect/changed-since.js';
export { BinaryAbortedError, BinaryExitError, BinaryNotFoundError, BinaryOutputError } from './tf/tf-errors.js';
export { findBinary } from './tf/find-binary.js';
export { runBinary } from './tf/run-binary.js';
export { detectBinaryVersion, parseBinaryVersion } from './tf/binary-version.js';
export { passthroughPlanArgv, splitPlanArgs } from './tf/plan-args.js';
export { recordAddress, TargetUniverse } from './tf/target-universe.js';
export { collapseTargets } from './tf/collapse-targets.js';
export { chooseTargets, estimateTerraformTargets } from './tf/choose-targets.js';
export { argCost, buildTargetArgs, envCost } from './tf/target-args.js';
export { plainLocalStatePath } from './tf/local-state-path.js';
export { isTargetingWarning, parsePlanChanges, parsePlanChangesText, parsePlanHumanLine, parsePlanJsonLine } from './tf/parse-plan-json.js';
export { explicitDetector } from './detect/explicit-detector.js';
export { probeDetector } from './detect/probe-detector.js';
export { streamProbeDetector } from './detect/stream-probe-detector.js';
export { velocityPlan } from './plan/velocity-plan.js';
export { acquireWithRetry } from './lock/acquire-with-retry.js';
export { assertLockId } from './lock/assert-lock-id.js';
export { GlobalFallbackLockManager } from './lock/global-fallback-lock-manager.js';
export { HttpLockAdapter } from './lock/http-lock-adapter.js';
export { LocalFileLockAdapter } from './lock/local-file-lock-adapter.js';
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
export { lockInfoFromJson, newLockInfo } from './lock/lock-info.js';
export { MemoryResourceLockManager } from './lock/memory-resource-lock-manager.js';
export { NoOpLockManager } from './lock/noop-lock-manager.js';
export { normalizeResources } from './lock/normalize-resources.js';
export { PostgresAdvisoryLockAdapter } from './lock/postgres-advisory-lock-adapter.js';
export { PostgresResourceLockManager } from './lock/postgres-resource-lock-manager.js';
export { startEmbeddedPostgres } from './lock/start-embedded-postgres.js';
export { withResourceLocks } from './plan/with-resource-locks.js';
export { ExportInputError } from './export/export-errors.js';
export { exportView, NODE_ROLES } from './export/export-view.js';
export { forceLayout } from './export/force-layout.js';
export { groupTree } from './export/group-tree.js';
export { layeredLayout } from './export/layered-layout.js';
export { ROLE_COLORS } from './export/role-colors.js';
export { toDot } from './export/to-dot.js';
export { toGexf } from './export/to-gexf.js';
export { toGraphml } from './export/to-graphml.js';
export { toHtml } from './export/to-html.js';
export { toJson } from './export/to-json.js';
export { toMermaid } from './export/to-mermaid.js';
export { GRAPH_FORMATS, graphExport, graphExportView } from './plan/graph-export.js';
export { run } from './cli/run.js';

export type { StateParseErrorCode } from './errors.js';
export type { ModuleStep, ResourceAddress, TargetAddress } from './state/address.js';
export type { IndexKey, InstanceRecord, LoadedState, StateMeta } from './state/instance-record.js';
export type { LoadStateOptions } from './state/load-state.js';
export type { ByteSpan } from './state/read-instance-attributes.js';
export type { ScanStateOptions } from './state/scan-state.js';
export type { BuildIndexResult } from './graph/build-index.js';
export type { SnapshotContent, SnapshotHeader } from './graph/index-snapshot.js';
export type { LoadedStateGraph, LoadStateGraphOptions } from './graph/load-state-graph.js';
export type { PathEntry } from './graph/snapshot-store.js';
export type { ResourceIndexParts } from './graph/resource-index.js';
export type { NodeInfo, StateGraphOptions } from './graph/state-graph.js';
export type { ChangeCone, ChangeConeIds } from './cone/change-cone.js';
export type { ConeCacheOptions } from './engine/cone-cache.js';
export type { Subgraph } from './cone/minimal-subgraph.js';
export type { Reduction } from './cone/reduction.js';
export type { Direction, WalkOptions } from './cone/walk-cone.js';
export type { RefreshScope, ScopeReason, Strategy } from './engine/refresh-scope.js';
export type { RefreshScopeRequest } from './engine/velocity-engine.js';
export type { SynthOptions, SynthShapeName, SynthSummary } from './synth/synth-workspace.js';
export type { ConfigDetectOptions, ConfigDetectResult } from './detect/config-change-detector.js';
export type { ConfigFingerprints, FingerprintOptions } from './detect/fingerprint-config.js';
export type { LedgerEntry } from './detect/ledger.js';
export type { VarArg, VariableValue } from './config/root-variables.js';
export type { GitSnapshot } from './detect/changed-since.js';
export type { BinarySource, FindBinaryOptions, FoundBinary } from './tf/find-binary.js';
export type { OutputStream, RunBinaryOptions, RunBinaryResult } from './tf/run-binary.js';
export type { BinaryVersion } from './tf/binary-version.js';
export type { BinaryPlanFlags, SplitPlanArgs, VelocityPlanFlags } from './tf/plan-args.js';
export type { UniverseInstance } from './tf/target-universe.js';
export type { TargetChoice } from './tf/choose-targets.js';
export type { TargetArgs, TargetArgsOptions } from './tf/target-args.js';
export type { PlanChanges, PlanEvent, UnscopableChange } from './tf/parse-plan-json.js';
export type { ChangeDetector, DetectContext, DetectResult } from './detect/change-detector.js';
export type { VelocityPlanOptions, VelocityPlanResult } from './plan/velocity-plan.js';
export type { BackoffOptions } from './lock/acquire-with-retry.js';
export type { GlobalLease, GlobalLockAdapter } from './lock/global-lock-adapter.js';
export type { HttpLockAdapterOptions } from './lock/http-lock-adapter.js';
export type { LockInfo, NewLockInfoOptions } from './lock/lock-info.js';
export type { MemoryResourceLockManagerOptions } from './lock/memory-resource-lock-manager.js';
export type { PostgresAdvisoryLockAdapterOptions } from './lock/postgres-advisory-lock-adapter.js';
export type { PostgresResourceLockManagerOptions } from './lock/postgres-resource-lock-manager.js';
export type { HeldLock, LockHandle, LockOptions, ResourceLockManager } from './lock/resource-lock-manager.js';
export type { EmbeddedPostgres, StartEmbeddedPostgresOptions } from './lock/start-embedded-postgres.js';
export type { LockedContext, LockScope, WithResourceLocksOptions } from './plan/with-resource-locks.js';
export type { ExportErrorCode } from './export/export-errors.js';
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
export type { GroupNode } from './export/group-tree.js';
export type { Positions } from './export/layered-layout.js';
export type { HtmlOptions } from './export/to-html.js';
export type { MermaidOptions } from './export/to-mermaid.js';
export type { ConeSelection, GraphExportOptions, GraphFormat } from './plan/graph-export.js';
export type { CliIo, Command } from './cli/cli-io.js';
