// The package entry exports exactly this list of values: a change to the public API is a deliberate edit here,
// and internals (argCost, envCost, buildTargetArgs, layouts, ROLE_COLORS, walkCone, scan kernels, snapshot
// encoding) never leak through src/index.ts.
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const PUBLIC_VALUES = [
  // errors
  'AddressParseError', 'BinaryAbortedError', 'BinaryExitError', 'BinaryNotFoundError', 'BinaryOutputError', 'ConfigParseError',
  'DependencyCycleError', 'ExportInputError', 'GitRefError', 'LedgerFormatError', 'LockAbortedError', 'LockBackendError',
  'LockConflictError', 'LockIdInvalidError', 'LockLostError', 'LockNotHeldError', 'LockRequestError', 'LockTimeoutError',
  'ReportWriteError', 'SnapshotInvalidError', 'SourceReadError', 'StateMismatchError', 'StateParseError', 'SynthOptionsError', 'UnknownAddressError',
  'UnsupportedStateVersionError', 'UsageError', 'VariableInputError', 'VelocityError', 'WasmKernelUnavailableError',
  // addresses, state, graph, cones
  'formatResourceAddress', 'formatTarget', 'parseResourceAddress', 'parseTarget', 'loadState', 'parseState', 'loadStateGraph',
  'StateGraph', 'bottomCone', 'topCone', 'minimalSubgraph',
  // scope
  'refreshScope', 'describeReason', 'VelocityEngine', 'ConeCache',
  // detection
  'defaultDetector', 'explicitDetector', 'probeDetector', 'streamProbeDetector', 'ConfigChangeDetector', 'fingerprintConfig',
  'defaultLedgerPath', 'readLedger', 'writeLedger',
  // drift (issue 12)
  'defaultRefreshHistoryPath', 'readRefreshHistory', 'recordRefreshes', 'selectDriftBudget', 'velocityDrift',
  'RefreshHistoryFormatError', 'RefreshHistoryWriteError',
  // binary and plan
  'findBinary', 'runBinary', 'detectBinaryVersion', 'velocityPlan', 'preparePlan', 'executePlan', 'withResourceLocks', 'planReport',
  // apply (issue 12)
  'velocityApply', 'executeApply', 'mergeSubWorkspace', 'MergeConflictError', 'StateMovedError', 'StatePushError', 'SubgraphNotHeldError', 'SubgraphWriteError', 'velocityLockSet', 'SubWorkspaceManifestError',
  // locks
  'newLockInfo', 'MemoryResourceLockManager', 'NoOpLockManager', 'PostgresResourceLockManager', 'GlobalFallbackLockManager',
  'HttpLockAdapter', 'ServeResourceLockManager', 'ServeClient', 'ServeClientError', 'BackendProbeTimeoutError', 'detectVelocityBackend', 'LocalFileLockAdapter', 'PostgresAdvisoryLockAdapter', 'startEmbeddedPostgres', 'openLockManager',
  // export
  'exportView', 'toDot', 'toGexf', 'toGraphml', 'toHtml', 'toJson', 'toMermaid', 'GRAPH_FORMATS', 'graphExport', 'graphExportView',
  // cross-state dependencies (issue 14)
  'DepsGraph', 'defaultInputName', 'DepsCycleError', 'DepsEdgeExistsError', 'DepsEdgeNotFoundError', 'DepsFileError', 'DepsInputError',
  'stateStatuses', 'replanOrder', 'outputFingerprint', 'readProducerSnapshot', 'refreshProducers', 'recordApplied', 'depsLocation',
  'readDepsGraph', 'writeDepsGraph', 'producerBackend', 'syncDependencies', 'discoverDependencies', 'locateLocalProducer', 'locateServerProducer', 'PostgresDepsStore',
  // synth, CLI
  'SYNTH_SHAPES', 'synthWorkspace', 'run',
];

describe('package entry (src/index.ts)', () => {
  it('exports exactly the public values, each defined', () => {
    expect(Object.keys(api).sort()).toEqual([...PUBLIC_VALUES].sort());
    for (const name of PUBLIC_VALUES) expect(api[name as keyof typeof api], name).toBeDefined();
  });
});
