// Values of the simulated provider's one resource type and their msgpack wire form (Terraform's DynamicValue).
// Guarantees: every object sent to Terraform carries exactly the schema's attributes; unknowns (msgpack ext 0, JS
// `undefined`) and refined unknowns (ext 12, kept as opaque bytes) survive a decode/encode round trip unchanged.
import { Packr, Unpackr, addExtension } from 'msgpackr';

/** Provider source address the sim answers to (the TF_REATTACH_PROVIDERS key). */
export const SIM_PROVIDER_SOURCE = 'registry.terraform.io/example/sim';
/** The only resource type the sim serves. */
export const SIM_RESOURCE_TYPE = 'sim_resource';

/** A refined unknown (msgpack extension 12): an unknown value with known facts (prefix, nullness); kept opaque. */
export class RefinedUnknown {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

// NOTE: msgpackr rejects unknown extension types; ext 12 is registered once, globally, so a refined unknown that
// Terraform sends (e.g. `"p-${x.id}"` before x exists) is carried through instead of crashing the RPC.
addExtension({
  type: 12,
  Class: RefinedUnknown,
  pack: (value: RefinedUnknown) => Buffer.from(value.bytes),
  unpack: (bytes: Uint8Array) => new RefinedUnknown(Uint8Array.from(bytes)),
});

/** A string attribute: known (string), null, unknown (`undefined`), or refined unknown. */
export type SimString = string | null | undefined | RefinedUnknown;
/** A map(string) attribute: null, unknown, refined unknown, or a map whose values may be unknown. */
export type SimStringMap = Record<string, SimString> | null | undefined | RefinedUnknown;

/** One `sim_resource` object exactly as the schema has it. */
export interface SimObject {
  id: SimString;
  name: SimString;
  inputs: SimStringMap;
  value: SimString;
}

/** A fully known object, as the cloud stores it. */
export interface KnownSimObject {
  id: string;
  name: string;
  inputs: Record<string, string> | null;
  value: string | null;
}

/** Attribute names of `sim_resource`, in schema order. */
export const SIM_ATTRIBUTES = ['id', 'name', 'inputs', 'value'] as const;

// NOTE: useRecords:false is essential: msgpackr's record extension would be unreadable to Terraform.
const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

/** Decode a DynamicValue's msgpack bytes; empty bytes mean "absent" and decode to null. O(size). */
export function decodeDynamic(bytes: Uint8Array | undefined | null): unknown {
  if (bytes === undefined || bytes === null || bytes.length === 0) return null;
  return unpackr.unpack(bytes);
}

/** Encode a value as a DynamicValue's msgpack bytes (`undefined` becomes Terraform's unknown). O(size). */
export function encodeDynamic(value: unknown): Buffer {
  return packr.pack(value);
}

/** Coerce a decoded value into a `sim_resource` object: exactly the schema attributes, missing ones null. O(size). */
export function toSimObject(value: unknown): SimObject | null {
  if (value === null || typeof value !== 'object' || value instanceof RefinedUnknown) return null;
  const v = value as Record<string, unknown>;
  return {
    id: asString(v.id, 'id' in v),
    name: asString(v.name, 'name' in v),
    inputs: asMap(v.inputs, 'inputs' in v),
    value: asString(v.value, 'value' in v),
  };
}

/** True when nothing in the object is unknown. O(size). */
export function isKnownObject(o: SimObject): o is KnownSimObject & SimObject {
  if (typeof o.id !== 'string' || typeof o.name !== 'string') return false;
  if (o.value !== null && typeof o.value !== 'string') return false;
  if (o.inputs === null) return true;
  if (o.inputs === undefined || o.inputs instanceof RefinedUnknown) return false;
  return Object.values(o.inputs).every((x) => typeof x === 'string');
}

/** The stable id the sim's cloud gives an object named `name` (deterministic, so states can be generated). O(1). */
export function simId(name: string): string {
  return `sim-${name}`;
}

/** The name of an object for counting and fault injection: its `name` when known, otherwise "?". O(1). */
export function nameOf(o: SimObject | null): string {
  return o !== null && typeof o.name === 'string' ? o.name : '?';
}

function asString(x: unknown, present: boolean): SimString {
  if (!present) return null;
  if (x === undefined || x === null || typeof x === 'string' || x instanceof RefinedUnknown) return x;
  return String(x);
}

function asMap(x: unknown, present: boolean): SimStringMap {
  if (!present) return null;
  if (x === undefined || x === null || x instanceof RefinedUnknown) return x;
  if (typeof x !== 'object') return null;
  const out: Record<string, SimString> = {};
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) out[k] = asString(v, true);
  return out;
}
