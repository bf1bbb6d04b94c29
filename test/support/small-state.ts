// Test support: a LoadedState built from instance addresses, for detector tests that need no terraform run.

import type { InstanceRecord, LoadedState } from '../../src/state/instance-record.js';
import { formatModulePath, parseResourceAddress } from '../../src/state/address.js';

export function smallState(addresses: readonly string[], serial = 3, lineage = 'lineage-test'): LoadedState {
  const instances: InstanceRecord[] = addresses.map((a) => {
    const r = parseResourceAddress(a);
    return {
      module: formatModulePath(r.module),
      mode: r.mode,
      type: r.type,
      name: r.name,
      provider: 'provider["terraform.io/builtin/terraform"]',
      indexKey: r.key ?? null,
      dependencies: [],
      tainted: false,
      deposedCount: 0,
      hasCurrent: true,
    };
  });
  return { meta: { version: 4, terraformVersion: '1.11.4', serial, lineage, outputs: {} }, instances };
}
