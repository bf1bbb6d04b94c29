// VelocityEngine: the refresh scope of a change on one StateGraph, as an object for callers that keep the graph.
// Guarantees: computeRefreshScope(request) is exactly refreshScope(graph, request) (one scope function).

import type { StateGraph } from '../graph/state-graph.js';
import { refreshScope, type RefreshScope, type RefreshScopeRequest } from './refresh-scope.js';

export type { RefreshScopeRequest } from './refresh-scope.js';

export class VelocityEngine {
  readonly graph: StateGraph;

  constructor(graph: StateGraph) {
    this.graph = graph;
  }

  /**
   * refreshScope(this.graph, request). `optimized`: O(cone · log cone). `full`: O(n log n).
   * @throws AddressParseError, UnknownAddressError
   */
  computeRefreshScope(request: RefreshScopeRequest = {}): RefreshScope {
    return refreshScope(this.graph, request);
  }
}
