// The contract between state readers and the graph builder: what the graph needs to know about one
// resource instance, and nothing else (attribute values stay in the file). Both the JSON reader and the
// streaming scanner produce exactly these records, in state order.

/** An instance key as the state stores it: a number for `count`, a string for `for_each`, null for neither. */
export type IndexKey = string | number;

/** One resource instance of a tfstate v4, reduced to what dependency resolution and cones need. */
export interface InstanceRecord {
  /** Module instance path as the state prints it: '' for the root, else e.g. `module.net["eu"].module.sub[0]`. */
  readonly module: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** Provider configuration address, e.g. `provider["registry.terraform.io/hashicorp/aws"].west`. */
  readonly provider: string;
  /** `index_key`, or null when the resource has neither count nor for_each. */
  readonly indexKey: IndexKey | null;
  /** `dependencies` of the current object (or of the first deposed one if there is no current object). */
  readonly dependencies: readonly string[];
  /** The current object is tainted (`"status": "tainted"`). */
  readonly tainted: boolean;
  /** How many deposed objects the instance has (create_before_destroy leftovers). */
  readonly deposedCount: number;
  /** Whether the instance has a current (non-deposed) object. */
  readonly hasCurrent: boolean;
  /** Byte range of the first object of this instance in the source, when the reader tracks it (streaming). */
  readonly span?: { readonly start: number; readonly end: number };
}

/** Top-level facts of a tfstate v4 document, without its resources. */
export interface StateMeta {
  readonly version: 4;
  readonly terraformVersion: string;
  readonly serial: number;
  readonly lineage: string;
  /** Root module outputs, name → `{ value, type, sensitive }` as stored. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** A loaded state: its meta and one record per resource instance. */
export interface LoadedState {
  readonly meta: StateMeta;
  readonly instances: readonly InstanceRecord[];
}
