// The engine's answer: which instances a plan must read fresh, which may stay cached, and why each one is there.

/** Why an instance is in the refresh or static set. `of` names the changed/targeted (or refreshed) instance that pulled it in. */
export type ScopeReason =
  | { readonly kind: 'changed' }
  | { readonly kind: 'target' }
  | { readonly kind: 'downstream'; readonly of: string }
  | { readonly kind: 'upstream'; readonly of: string }
  | { readonly kind: 'data-source'; readonly of: string }
  | { readonly kind: 'tainted'; readonly of: string }
  | { readonly kind: 'not-injectable'; readonly of: string }
  | { readonly kind: 'full'; readonly why: string };

export type Strategy = 'full' | 'optimized';

export interface RefreshScope {
  readonly strategy: Strategy;
  /** Instances in the state. */
  readonly total: number;
  /** Sorted addresses to read fresh. */
  readonly refresh: readonly string[];
  /** Sorted addresses whose cached state is used. */
  readonly static: readonly string[];
  /** Count of instances neither refreshed nor needed. */
  readonly untouched: number;
  /** 1 - |refresh| / total. */
  readonly savings: number;
  /** Reason per address in refresh or static. */
  readonly reasons: ReadonlyMap<string, ScopeReason>;
  /** Sorted: dangling dependencies and other things the user should know. */
  readonly warnings: readonly string[];
  /** Set when strategy is `full` for a reason other than the caller asking for it. */
  readonly fallbackReason?: string;
}
