// The model a synthetic shape produces: resources of the built-in `terraform_data` type, their instances'
// ids, `input` values and recorded dependencies, and the configuration files that would produce them.

import type { IndexKey } from '../state/instance-record.js';

/** A `terraform_data.input` value: a string, an object of strings (keys in any order), or null. */
export type SynthValue = string | null | Readonly<Record<string, string>>;

export interface SynthInstance {
  readonly indexKey: IndexKey | null;
  readonly id: string;
  readonly input: SynthValue;
  /** Sorted configuration addresses (no instance keys), transitively closed, as Terraform records them. */
  readonly dependencies: readonly string[];
}

export interface SynthResource {
  /** Module instance path as the state prints it ('' for the root). */
  readonly module: string;
  readonly name: string;
  /** In Terraform's order: ints ascending, then strings ascending. */
  readonly instances: Iterable<SynthInstance>;
}

/** One shape: what it writes as configuration and as state, in Terraform's state order. */
export interface SynthShape {
  /** Resource instances the state will hold. */
  readonly instanceCount: number;
  /** Shape-specific facts for the summary (e.g. customers: 2). */
  readonly facts: Readonly<Record<string, number>>;
  /** Configuration files: path relative to the workspace → text chunks. */
  configFiles(): Iterable<readonly [string, Iterable<string>]>;
  /** Resources sorted as Terraform writes them: by module string, mode, type, name. */
  resources(): Iterable<SynthResource>;
}
