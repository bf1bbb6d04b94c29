// Maps state instances to the configuration blocks they come from: `module.customer["c1"].terraform_data.device["d0"]`
// belongs to block `module.customer.terraform_data.device` (module instance keys and the instance key dropped).

import type { LoadedState } from '../state/instance-record.js';
import { instanceAddress, parseModulePath, resourceLocalName } from '../state/address.js';

/**
 * Block address → instance addresses of that block in the state, in state order. Deposed-only instances are
 * included (they belong to the block too). O(instances); module paths are parsed once per distinct path.
 */
export function instancesByBlock(state: LoadedState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const modules = new Map<string, string>(); // state module string → config prefix `module.a.module.b.`
  for (const r of state.instances) {
    let prefix = modules.get(r.module);
    if (prefix === undefined) {
      prefix = parseModulePath(r.module).map((s) => `module.${s.name}.`).join('');
      modules.set(r.module, prefix);
    }
    const local = resourceLocalName(r);
    const block = prefix + local;
    const address = instanceAddress(r);
    const list = out.get(block);
    if (list === undefined) out.set(block, [address]);
    else list.push(address);
  }
  return out;
}
