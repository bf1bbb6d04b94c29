// --drift-budget K: the refresh request plus the ⌈N/K⌉ instances refreshed longest ago (reason `drift-budget`), from
// the lineage's refresh history. Guarantees: they are planned like a change (dependents too), so their drift shows;
// `alone` (a refresh-only drift check) reads them fresh without their dependents, which such a plan never plans.

import { VelocityEngine } from '../engine/velocity-engine.js';
import type { RefreshScopeRequest } from '../engine/refresh-scope.js';
import type { StateGraph } from '../graph/state-graph.js';
import { readRefreshHistory } from '../detect/refresh-history.js';
import { selectDriftBudget } from '../detect/select-drift-budget.js';

/**
 * `request` plus the budget's choice. Cost: the history file read O(H), the request's scope O(cone · log cone), the
 * state's sorted addresses O(N log N) and the choice O(N + H).
 * @throws RefreshHistoryFormatError (an unreadable history), UsageError (a bad K)
 */
export async function withDriftBudget(graph: StateGraph, request: RefreshScopeRequest, o: { readonly budget: number; readonly historyPath: string; readonly alone?: boolean }): Promise<RefreshScopeRequest> {
  const history = await readRefreshHistory(o.historyPath, graph.meta.lineage);
  const scope = new VelocityEngine(graph).computeRefreshScope(request);
  const chosen = selectDriftBudget({ addresses: graph.addresses(), history, inScope: scope.refresh, budget: o.budget });
  return { ...request, driftBudget: chosen, ...(o.alone === true ? { driftBudgetAlone: true } : {}) };
}
