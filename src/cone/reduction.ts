// Reduction statistics: how much of the state a scoped operation touches, and the line velocity prints about it.

export interface Reduction {
  /** Instances the operation touches. */
  readonly subgraph: number;
  /** Instances in the state. */
  readonly total: number;
  /** 1 - subgraph/total, in [0, 1]; 0 for an empty state. */
  readonly savings: number;
}

/** O(1). */
export function reduction(subgraph: number, total: number): Reduction {
  return { subgraph, total, savings: total === 0 ? 0 : 1 - subgraph / total };
}
