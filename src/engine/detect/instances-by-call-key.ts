// Groups state instances by the root module call instance they live in: `module.customer` → key `c1` → every
// instance under `module.customer["c1"]` (nested modules included). Used to narrow a for_each call's changes
// to the instances whose element changed.

import type { LoadedState } from '../../state/instance-record.js';
import { formatKey, parseModulePath } from '../../state/address.js';

/** Root call address → instance key (as a string) → instance addresses. O(instances). */
export function instancesByCallKey(state: LoadedState): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  const first = new Map<string, { call: string; key: string } | null>();
  for (const r of state.instances) {
    if (r.module === '') continue;
    let step = first.get(r.module);
    if (step === undefined) {
      const s = parseModulePath(r.module)[0];
      step = s === undefined || s.key === undefined ? null : { call: `module.${s.name}`, key: String(s.key) };
      first.set(r.module, step);
    }
    if (step === null) continue;
    const local = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
    const address = `${r.module}.${local}${r.indexKey === null ? '' : formatKey(r.indexKey)}`;
    let byKey = out.get(step.call);
    if (byKey === undefined) out.set(step.call, (byKey = new Map()));
    const list = byKey.get(step.key);
    if (list === undefined) byKey.set(step.key, [address]);
    else list.push(address);
  }
  return out;
}
