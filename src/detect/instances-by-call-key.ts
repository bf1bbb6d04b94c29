// Groups state instances by the root module call instance they live in: `module.customer` → key `c1` → every
// instance under `module.customer["c1"]` (nested modules included). Used to narrow a for_each call's changes
// to the instances whose element changed.

import type { LoadedState } from '../state/instance-record.js';
import { instanceAddress, parseModulePath, resourceLocalName } from '../state/address.js';

/** One state instance and the configuration block it belongs to. */
export interface BlockInstance {
  readonly address: string;
  readonly block: string;
}

/** Root call address → instance key (as a string) → its instances with their blocks. O(instances). */
export function instancesByCallKey(state: LoadedState): Map<string, Map<string, BlockInstance[]>> {
  const out = new Map<string, Map<string, BlockInstance[]>>();
  const first = new Map<string, { call: string; key: string; prefix: string } | null>();
  for (const r of state.instances) {
    if (r.module === '') continue;
    let step = first.get(r.module);
    if (step === undefined) {
      const path = parseModulePath(r.module);
      const s = path[0];
      step = s === undefined || s.key === undefined ? null : { call: `module.${s.name}`, key: String(s.key), prefix: path.map((p) => `module.${p.name}.`).join('') };
      first.set(r.module, step);
    }
    if (step === null) continue;
    const local = resourceLocalName(r);
    const inst = { address: instanceAddress(r), block: step.prefix + local };
    let byKey = out.get(step.call);
    if (byKey === undefined) out.set(step.call, (byKey = new Map()));
    const list = byKey.get(step.key);
    if (list === undefined) byKey.set(step.key, [inst]);
    else list.push(inst);
  }
  return out;
}
