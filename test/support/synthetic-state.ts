// A seeded generator of tfstate v4 documents for tests that need a big, realistic graph (50,000 instances):
// shared root resources, and one `module.customer["cNNNN"]` instance per customer holding a site, a network,
// devices, monitors and a DNS record. Same seed and size, same bytes. Test support only (not `velocity synth`).
import { SeededRandom } from '../../src/synth/seeded-random.js';

/** A seeded PRNG (the synth module's) as a function returning floats in [0, 1). */
function prng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const CORE = 40;
const PER_CUSTOMER = 20; // site, network, 15 devices, 2 monitors, dns
const DEVICES = 15;
const PROVIDER = 'provider["terraform.io/builtin/terraform"]';

/** Customer key of customer i: c00000, c00001... */
export function customerKey(i: number): string {
  return `c${String(i).padStart(5, '0')}`;
}

/**
 * A state of exactly `size` instances (size ≥ 40 + 20; the remainder beyond whole customers goes to extra root
 * resources). O(size).
 */
export function syntheticState(size: number, seed = 42): string {
  const rand = prng(seed);
  const customers = Math.floor((size - CORE) / PER_CUSTOMER);
  const extra = size - CORE - customers * PER_CUSTOMER;
  const resources: unknown[] = [];
  const inst = (deps: string[], key?: number) => ({
    ...(key === undefined ? {} : { index_key: key }),
    schema_version: 0,
    attributes: { id: `id-${resources.length}-${key ?? 0}` },
    sensitive_attributes: [],
    dependencies: deps,
  });
  for (let c = 0; c < CORE + extra; c++) {
    const deps = c === 0 ? [] : [`terraform_data.core_${String(Math.floor(rand() * c)).padStart(3, '0')}`];
    resources.push({ mode: 'managed', type: 'terraform_data', name: `core_${String(c).padStart(3, '0')}`, provider: PROVIDER, instances: [inst(deps)] });
  }
  for (let i = 0; i < customers; i++) {
    const module = `module.customer["${customerKey(i)}"]`;
    const a = Math.floor(rand() * CORE);
    const b = Math.floor(rand() * CORE);
    const core = [...new Set([a, b])].sort((x, y) => x - y).map((k) => `terraform_data.core_${String(k).padStart(3, '0')}`);
    const r = (type: string, name: string, deps: string[], count?: number) =>
      resources.push({
        module,
        mode: 'managed',
        type,
        name,
        provider: PROVIDER,
        instances: count === undefined ? [inst(deps)] : Array.from({ length: count }, (_, k) => inst(deps, k)),
      });
    r('terraform_data', 'site', core);
    r('terraform_data', 'network', ['module.customer.terraform_data.site']);
    r('terraform_data', 'device', ['module.customer.terraform_data.network', 'module.customer.terraform_data.site'], DEVICES);
    r('terraform_data', 'monitor', ['module.customer.terraform_data.network'], 2);
    r('terraform_data', 'dns', ['module.customer.terraform_data.site']);
  }
  return JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: `synthetic-${seed}`, outputs: {}, resources, check_results: null });
}
