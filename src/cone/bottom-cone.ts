// Bottom cone: an address set plus everything downstream of it (what depends on it, transitively): the blast radius.

import type { StateGraph } from '../graph/state-graph.js';
import { walkCone } from './walk-cone.js';

/**
 * Everything that depends on the given addresses, transitively, roots included; sorted addresses.
 * Accepts every `-target` form. O(cone · log cone). @throws AddressParseError, UnknownAddressError
 */
export function bottomCone(graph: StateGraph, addresses: readonly string[], options: { maxDepth?: number } = {}): string[] {
  return walkCone(graph.index, graph.resolve(addresses), 'downstream', options).map((id) => graph.index.address(id)).sort();
}
