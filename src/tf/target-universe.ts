// What velocity needs to know about every instance in the state to build `-target` arguments: its address, its
// module instance, its resource, its configuration address, and the configuration addresses it depends on.
// Guarantees: built once per plan in O(N + dependencies); all lookups afterwards are O(1) or O(answer).

import { formatKey, formatModulePath, parseModulePath, type ModuleStep } from '../state/address.js';
import type { InstanceRecord } from '../state/instance-record.js';

/** The canonical address of an instance record, exactly as Terraform prints it. O(length). */
export function recordAddress(r: InstanceRecord): string {
  const local = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}${r.indexKey === null ? '' : formatKey(r.indexKey)}`;
  return r.module === '' ? local : `${r.module}.${local}`;
}

export interface UniverseInstance {
  readonly address: string;
  /** Module instance path ('' = root), e.g. `module.customer["c1"]`. */
  readonly module: string;
  readonly steps: readonly ModuleStep[];
  /** Resource address inside its module instance, without instance key: `module.customer["c1"].terraform_data.device`. */
  readonly resource: string;
  /** Configuration address: module keys and instance key dropped: `module.customer.terraform_data.device`. */
  readonly config: string;
  /** Configuration addresses this instance depends on, as the state records them. */
  readonly dependencies: readonly string[];
  readonly keyed: boolean;
}

export class TargetUniverse {
  readonly instances: readonly UniverseInstance[];
  private readonly byAddress = new Map<string, number>();
  private readonly byResource = new Map<string, number[]>();
  private readonly byConfig = new Map<string, number[]>();
  /** Module instance path → ids of every instance under it (nested modules included). */
  private readonly byModulePrefix = new Map<string, number[]>();

  /** O(N · module depth). */
  constructor(records: readonly InstanceRecord[]) {
    const stepCache = new Map<string, ModuleStep[]>();
    const instances: UniverseInstance[] = [];
    for (const r of records) {
      let steps = stepCache.get(r.module);
      if (!steps) {
        steps = parseModulePath(r.module);
        stepCache.set(r.module, steps);
      }
      const local = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
      const callPath = steps.map((s) => `module.${s.name}`).join('.');
      const id = instances.length;
      const inst: UniverseInstance = {
        address: recordAddress(r),
        module: r.module,
        steps,
        resource: r.module === '' ? local : `${r.module}.${local}`,
        config: callPath === '' ? local : `${callPath}.${local}`,
        dependencies: r.dependencies,
        keyed: r.indexKey !== null,
      };
      instances.push(inst);
      this.byAddress.set(inst.address, id);
      push(this.byResource, inst.resource, id);
      push(this.byConfig, inst.config, id);
      for (let k = 1; k <= steps.length; k++) push(this.byModulePrefix, formatModulePath(steps.slice(0, k)), id);
    }
    this.instances = instances;
  }

  get size(): number {
    return this.instances.length;
  }
  idOf(address: string): number | undefined {
    return this.byAddress.get(address);
  }
  /** Instances of one resource in one module instance. */
  resourceInstances(resource: string): readonly number[] {
    return this.byResource.get(resource) ?? [];
  }
  /** Instances of a configuration resource across every module instance. */
  configInstances(config: string): readonly number[] {
    return this.byConfig.get(config) ?? [];
  }
  /** Instances under a module instance path (nested modules included). */
  moduleInstances(modulePath: string): readonly number[] {
    return this.byModulePrefix.get(modulePath) ?? [];
  }
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
