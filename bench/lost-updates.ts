// bench:serve's lost-update check: the device values a served sim state holds, and which applied changes it does not.
// Guarantees: a change counts as present only when the exact value is at the exact customer/device; output is sorted.

/** The part of a v4 state document this check reads. */
export interface SimStateDocument {
  readonly resources: readonly {
    readonly module?: string;
    readonly name: string;
    readonly instances: readonly { readonly index_key?: string | number; readonly attributes?: { readonly value?: unknown } }[];
  }[];
}

/** Every `module.customer["C"].sim_resource.device["D"]` value, keyed `C/D`. O(resources). */
export function deviceValues(doc: SimStateDocument): Map<string, string> {
  const out = new Map<string, string>();
  for (const res of doc.resources) {
    if (res.name !== 'device' || !res.module) continue;
    const customer = /^module\.customer\["([^"]+)"\]$/.exec(res.module)?.[1];
    if (!customer) continue;
    for (const i of res.instances) {
      const v = i.attributes?.value;
      if (typeof i.index_key === 'string' && typeof v === 'string') out.set(`${customer}/${i.index_key}`, v);
    }
  }
  return out;
}

/** The expected `C/D -> value` entries the served values do not hold, one line each, sorted. O(expected log expected). */
export function lostUpdates(expected: ReadonlyMap<string, string>, served: ReadonlyMap<string, string>): string[] {
  return [...expected]
    .filter(([key, value]) => served.get(key) !== value)
    .map(([key, value]) => `${key}: expected ${value}, served ${served.get(key) ?? '(none)'}`)
    .sort();
}
