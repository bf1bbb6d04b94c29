// Hierarchical layout computed ahead of time for the HTML page: each group (module, type) is a block, nodes sit in
// columns by dependency depth (upstream left, downstream right), blocks are packed on shelves in group order.
// Guarantees: O(V + E) after sorting, no randomness (same view, same positions), works on cyclic input too.

import type { ExportView } from './export-view.js';
import { layeredBlocks } from './layered-blocks.js';
import { packBlocks, type Positions } from './pack-blocks.js';

export type { Positions } from './pack-blocks.js';

/** Positions for every node of the view, in view order; one unit per grid cell. O(V log V + E). */
export function layeredLayout(view: ExportView): Positions {
  return packBlocks(layeredBlocks(view), view.nodes.length);
}
