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
export { buildIndex } from './graph/build-index.js';
export { findCycles } from './graph/find-cycles.js';
export { ResourceIndex } from './graph/resource-index.js';
export { StateGraph } from './graph/state-graph.js';
export { bottomCone } from './cone/bottom-cone.js';
export { changeCone, changeConeIds } from './cone/change-cone.js';
export { minimalSubgraph } from './cone/minimal-subgraph.js';
export { reduction } from './cone/reduction.js';
export { savingsLine } from './cone/savings-line.js';
export { topCone } from './cone/top-cone.js';
export { walkCone } from './cone/walk-cone.js';
export { describeReason } from './engine/refresh-scope.js';
export { VelocityEngine } from './engine/velocity-engine.js';
export {
  ConfigParseError,
  GitRefError,
  LedgerFormatError,
  VariableInputError,
} from './engine/detect/detect-errors.js';
export { ConfigChangeDetector } from './engine/detect/config-change-detector.js';
export { fingerprintConfig } from './engine/detect/fingerprint-config.js';
export { defaultLedgerPath, readLedger, writeLedger } from './engine/detect/ledger.js';
export { readAtGitRef } from './engine/detect/changed-since.js';
export { run } from './cli/run.js';

export type { StateParseErrorCode } from './errors.js';
export type { ModuleStep, ResourceAddress, TargetAddress } from './state/address.js';
export type { IndexKey, InstanceRecord, LoadedState, StateMeta } from './state/instance-record.js';
export type { LoadStateOptions } from './state/load-state.js';
export type { BuildIndexResult } from './graph/build-index.js';
export type { ResourceIndexParts } from './graph/resource-index.js';
export type { NodeInfo, StateGraphOptions } from './graph/state-graph.js';
export type { ChangeCone, ChangeConeIds } from './cone/change-cone.js';
export type { Subgraph } from './cone/minimal-subgraph.js';
export type { Reduction } from './cone/reduction.js';
export type { Direction, WalkOptions } from './cone/walk-cone.js';
export type { RefreshScope, ScopeReason, Strategy } from './engine/refresh-scope.js';
export type { RefreshScopeRequest } from './engine/velocity-engine.js';
export type { DetectOptions, DetectResult } from './engine/detect/config-change-detector.js';
export type { ConfigFingerprints, FingerprintOptions } from './engine/detect/fingerprint-config.js';
export type { LedgerEntry } from './engine/detect/ledger.js';
export type { VarArg, VariableValue } from './engine/detect/root-variables.js';
export type { GitSnapshot } from './engine/detect/changed-since.js';
export type { CliIo, Command } from './cli/cli-io.js';
