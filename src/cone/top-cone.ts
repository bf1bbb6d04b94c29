// Top cone: an address set plus everything upstream of it (what it depends on, transitively).

import type { StateGraph } from '../graph/state-graph.js';
import { walkCone } from './walk-cone.js';

/**
 * Everything the given addresses depend on, transitively, roots included; sorted addresses.
 * Accepts every `-target` form. O(cone · log cone). @throws AddressParseError, UnknownAddressError
 */
export function topCone(graph: StateGraph, addresses: readonly string[], options: { maxDepth?: number } = {}): string[] {
  return walkCone(graph.index, graph.resolve(addresses), 'upstream', options).map((id) => graph.index.address(id)).sort();
}
