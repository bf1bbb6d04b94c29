// Places layout blocks side by side on shelves about as wide as the square root of their total area, in the
// order given, and returns node positions. Guarantees: blocks never overlap (a gap of `gap` units between them).

import type { LayoutBlock } from './layered-blocks.js';

export interface Positions {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Shelf packing of blocks into positions for `nodeCount` nodes. O(V + B). */
export function packBlocks(blocks: readonly LayoutBlock[], nodeCount: number, gap = 2): Positions {
  const x = new Float64Array(nodeCount);
  const y = new Float64Array(nodeCount);
  const area = blocks.reduce((s, b) => s + (b.width + gap) * (b.height + gap), 0);
  const shelfWidth = Math.max(Math.ceil(Math.sqrt(area) * 1.2), ...blocks.map((b) => b.width + gap));
  let shelfX = 0;
  let shelfY = 0;
  let shelfHeight = 0;
  for (const b of blocks) {
    if (shelfX > 0 && shelfX + b.width > shelfWidth) {
      shelfY += shelfHeight + gap;
      shelfX = 0;
      shelfHeight = 0;
    }
    b.members.forEach((m, k) => {
      x[m] = shelfX + b.x[k]!;
      // Graph coordinates grow upwards in sigma: negate so the first shelf is at the top.
      y[m] = -(shelfY + b.y[k]!);
    });
    shelfX += b.width + gap;
    shelfHeight = Math.max(shelfHeight, b.height);
  }
  return { x, y };
}
