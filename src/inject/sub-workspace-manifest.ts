// The manifest of a sub-workspace (`velocity-sub.json` in its directory): which real state it was cut from and
// what of that state it owns, so its applied state can be merged back later by anyone (`velocity merge DIR`).
// Guarantees: written atomically next to the slice; read back only if it is a manifest of this format version.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VelocityError } from '../errors.js';
import { writeJsonAtomic } from '../json-file.js';

/** A resources[] entry of a tfstate v4: module instance path ('' = root), mode, type, name. */
export interface ResourceEntryKey {
  readonly module: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** Only these instances (index_key values) of the entry are owned (a `for_each` filtered by key); absent = the whole entry. */
  readonly keys?: readonly (string | number)[];
}

/** What a sub-workspace owns in the real state: these entries and these root outputs are replaced by its result. */
export interface SubStateOwnership {
  readonly resources: readonly ResourceEntryKey[];
  readonly outputs: readonly string[];
}

export interface SubWorkspaceManifest extends SubStateOwnership {
  readonly format: 'velocity-sub-workspace';
  readonly version: 1;
  /** The real workspace (absolute). */
  readonly workingDir: string;
  /** The real state's lineage and serial at plan time (the merge's compare-and-swap). */
  readonly lineage: string;
  readonly serial: number;
  /** Lineage of the slice (the real one unless the plan was saved with -out). */
  readonly sliceLineage: string;
  /**
   * Kept block (as a state's `dependencies` names it) → resources it reads that the sub-workspace served as literals:
   * added to the dependencies of its instances at the merge (Terraform records none on a literal).
   */
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
  /** Instance addresses the sub-workspace may refresh (what is locked), sorted. */
  readonly refresh: readonly string[];
  /** Out-of-cone instances the plan read as literals (the scope's static set), sorted; absent in older manifests. */
  readonly static?: readonly string[];
  readonly createdAt: string;
}

/** The directory is not a sub-workspace velocity wrote (no manifest, another format, unreadable). */
export class SubWorkspaceManifestError extends VelocityError {
  constructor(dir: string, why: string) {
    super('SUB_WORKSPACE_INVALID', `${dir} is not a velocity sub-workspace: ${why}`);
  }
}

export const MANIFEST_FILE = 'velocity-sub.json';

/** Terraform's order of resources[] entries: module, mode, type, name, plain string comparison. */
export function compareEntryKeys(a: ResourceEntryKey, b: ResourceEntryKey): number {
  for (const k of ['module', 'mode', 'type', 'name'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

/** Writes `<dir>/velocity-sub.json` atomically. O(manifest). */
export async function writeSubWorkspaceManifest(dir: string, manifest: SubWorkspaceManifest): Promise<void> {
  await writeJsonAtomic(join(dir, MANIFEST_FILE), manifest, { pretty: true });
}

/** Reads `<dir>/velocity-sub.json`. O(manifest). @throws SubWorkspaceManifestError */
export function readSubWorkspaceManifest(dir: string): SubWorkspaceManifest {
  let doc: Partial<SubWorkspaceManifest>;
  try {
    doc = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Partial<SubWorkspaceManifest>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SubWorkspaceManifestError(dir, code === 'ENOENT' ? `no ${MANIFEST_FILE}` : code ?? 'not JSON');
  }
  if (doc.format !== 'velocity-sub-workspace' || doc.version !== 1 || !Array.isArray(doc.resources) || !Array.isArray(doc.outputs) || typeof doc.serial !== 'number' || typeof doc.lineage !== 'string')
    throw new SubWorkspaceManifestError(dir, `${MANIFEST_FILE} is not a version 1 manifest`);
  return doc as SubWorkspaceManifest;
}
