// tfstate documents Terraform refuses (an instance twice, an invalid index key, fields of the wrong type) and
// near misses it accepts (a resource split over two entries, a null key), each with the verdict velocity must give:
// the error code and the address its message names, or the addresses that load.

const PROVIDER = 'provider["terraform.io/builtin/terraform"]';

type Fields = Record<string, unknown>;

/** One instance object; `fields` override or add keys (`index_key`, `deposed`, `dependencies`...). */
export function instance(fields: Fields = {}): Fields {
  return { schema_version: 0, attributes: { id: 'x' }, sensitive_attributes: [], ...fields };
}

/** One resources[] entry of `terraform_data.<name>` (or what `fields` say) holding `instances`. */
export function resource(name: string, instances: unknown, fields: Fields = {}): Fields {
  return { mode: 'managed', type: 'terraform_data', name, provider: PROVIDER, instances, ...fields };
}

/** The state text of the given resources[] entries. */
export function stateOf(resources: unknown[]): string {
  return JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'refused-states', outputs: {}, resources }, null, 2);
}

export interface RefusedState {
  readonly name: string;
  readonly text: string;
  readonly code: 'STATE_DUPLICATE_INSTANCE' | 'STATE_BAD_INDEX_KEY' | 'STATE_NOT_A_STATE';
  /** The address the error message must name. */
  readonly address: string;
}

export interface AcceptedState {
  readonly name: string;
  readonly text: string;
  /** The instance addresses it holds, sorted (as `terraform state list` prints them). */
  readonly addresses: readonly string[];
}

/** States Terraform 1.11 refuses to load (`terraform state list` fails), with velocity's verdict. */
export const REFUSED_STATES: readonly RefusedState[] = [
  { name: 'the same resource twice', text: stateOf([resource('a', [instance()]), resource('a', [instance()])]), code: 'STATE_DUPLICATE_INSTANCE', address: 'terraform_data.a' },
  {
    name: 'the same resource twice, not adjacent, in a module',
    text: stateOf([resource('a', [instance({ index_key: 0 })], { module: 'module.m["k"]' }), resource('b', [instance()]), resource('a', [instance({ index_key: 0 })], { module: 'module.m["k"]' })]),
    code: 'STATE_DUPLICATE_INSTANCE',
    address: 'module.m["k"].terraform_data.a[0]',
  },
  { name: 'a duplicate instance key', text: stateOf([resource('a', [instance({ index_key: 0 }), instance({ index_key: 1 }), instance({ index_key: 0 })])]), code: 'STATE_DUPLICATE_INSTANCE', address: 'terraform_data.a[0]' },
  { name: 'a duplicate string key', text: stateOf([resource('a', [instance({ index_key: 'k"x' }), instance({ index_key: 'k"x' })])]), code: 'STATE_DUPLICATE_INSTANCE', address: 'terraform_data.a["k\\"x"]' },
  { name: 'a null key next to no key', text: stateOf([resource('a', [instance(), instance({ index_key: null })])]), code: 'STATE_DUPLICATE_INSTANCE', address: 'terraform_data.a' },
  {
    name: 'a deposed object twice',
    text: stateOf([resource('a', [instance({ index_key: 0 }), instance({ index_key: 0, deposed: '00000001' }), instance({ index_key: 0, deposed: '00000001' })])]),
    code: 'STATE_DUPLICATE_INSTANCE',
    address: 'terraform_data.a[0]',
  },
  { name: 'index key true', text: stateOf([resource('a', [instance({ index_key: true })])]), code: 'STATE_BAD_INDEX_KEY', address: 'terraform_data.a' },
  { name: 'index key object', text: stateOf([resource('a', [instance({ index_key: { k: 1 } })], { mode: 'data' })]), code: 'STATE_BAD_INDEX_KEY', address: 'data.terraform_data.a' },
  { name: 'index key array', text: stateOf([resource('a', [instance({ index_key: [0] })], { module: 'module.m' })]), code: 'STATE_BAD_INDEX_KEY', address: 'module.m.terraform_data.a' },
  { name: 'index key too large for a number', text: stateOf([resource('a', [instance()])]).replace('"schema_version"', '"index_key": 1e400, "schema_version"'), code: 'STATE_BAD_INDEX_KEY', address: 'terraform_data.a' },
  { name: 'dependencies a string', text: stateOf([resource('a', [instance({ index_key: 'k', dependencies: 'terraform_data.b' })])]), code: 'STATE_NOT_A_STATE', address: 'terraform_data.a["k"]' },
  { name: 'dependencies holding a number', text: stateOf([resource('a', [instance({ dependencies: ['terraform_data.b', 7] })])]), code: 'STATE_NOT_A_STATE', address: 'terraform_data.a' },
  { name: 'dependencies an object', text: stateOf([resource('a', [instance({ dependencies: {} })])]), code: 'STATE_NOT_A_STATE', address: 'terraform_data.a' },
  { name: 'status a number', text: stateOf([resource('a', [instance({ index_key: 2, status: 5 })])]), code: 'STATE_NOT_A_STATE', address: 'terraform_data.a[2]' },
  { name: 'deposed a number', text: stateOf([resource('a', [instance({ deposed: 7 })])]), code: 'STATE_NOT_A_STATE', address: 'terraform_data.a' },
  { name: 'module a number', text: stateOf([resource('a', [instance()], { module: 5 })]), code: 'STATE_NOT_A_STATE', address: 'terraform_data.a' },
  { name: 'provider a number', text: stateOf([resource('a', [instance()], { provider: 5 })]), code: 'STATE_NOT_A_STATE', address: 'terraform_data.a' },
  { name: 'instances a number', text: stateOf([resource('a', 5)]), code: 'STATE_NOT_A_STATE', address: 'terraform_data.a' },
];

/** Near misses Terraform 1.11 loads: velocity loads them too, with the same addresses. */
export const ACCEPTED_STATES: readonly AcceptedState[] = [
  { name: 'one resource split over two entries', text: stateOf([resource('a', [instance({ index_key: 0 })]), resource('a', [instance({ index_key: 1 })])]), addresses: ['terraform_data.a[0]', 'terraform_data.a[1]'] },
  { name: 'a null key (no key)', text: stateOf([resource('a', [instance({ index_key: null })])]), addresses: ['terraform_data.a'] },
  { name: 'an exponent key', text: stateOf([resource('a', [instance()])]).replace('"schema_version"', '"index_key": 1E1, "schema_version"'), addresses: ['terraform_data.a[10]'] },
  { name: 'keys of both kinds', text: stateOf([resource('a', [instance({ index_key: 0 }), instance({ index_key: '0' })])]), addresses: ['terraform_data.a["0"]', 'terraform_data.a[0]'] },
  { name: 'null dependencies, status and deposed', text: stateOf([resource('a', [instance({ dependencies: null, status: null, deposed: null })])]), addresses: ['terraform_data.a'] },
  { name: 'two deposed objects', text: stateOf([resource('a', [instance({ index_key: 0 }), instance({ index_key: 0, deposed: '00000001' }), instance({ index_key: 0, deposed: '00000002' })])]), addresses: ['terraform_data.a[0]'] },
];

/**
 * Shapes velocity refuses although Terraform 1.11 loads them, on purpose: Terraform truncates a fractional index
 * key (`1.5` becomes `[1]`), a value no tool writes; velocity names it instead of guessing.
 */
export const STRICTER_THAN_TERRAFORM: readonly RefusedState[] = [
  { name: 'a fractional index key', text: stateOf([resource('a', [instance({ index_key: 1.5 })])]), code: 'STATE_BAD_INDEX_KEY', address: 'terraform_data.a' },
];
