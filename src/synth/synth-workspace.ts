// Writes a synthetic Terraform workspace without running Terraform: configuration (`main.tf` and friends) and
// the tfstate v4 that `terraform apply` of it would have produced, so `plan -refresh=false` reports no
// changes. Streams to disk (memory O(one resource)); deterministic for a given shape, size and seed.

import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BufferedFileWriter } from './buffered-file-writer.js';
import { chainShape } from './chain-shape.js';
import { customersShape } from './customers-shape.js';
import { randomShape } from './random-shape.js';
import { syntheticUuid } from './seeded-random.js';
import { SynthOptionsError } from './synth-errors.js';
import type { SynthShape } from './synth-resource.js';
import { terraformDataResourceJson } from './terraform-data-json.js';
import { wideShape } from './wide-shape.js';

export const SYNTH_SHAPES = ['customers', 'chain', 'wide', 'random'] as const;
export type SynthShapeName = (typeof SYNTH_SHAPES)[number];

/** The Terraform version the state claims to be written by (the one its layout was taken from). */
export const SYNTH_TERRAFORM_VERSION = '1.11.4';

export interface SynthOptions {
  /** Approximate number of resource instances (customers rounds to 1 + 100·customers). */
  readonly resources: number;
  readonly shape: SynthShapeName;
  /** @default 1 */
  readonly seed?: number;
  /** Directory to write into (created if missing); existing files of the same names are overwritten. */
  readonly outDir: string;
  /** Called after each resource block of the state with instances written so far and the total. */
  readonly onProgress?: (instancesWritten: number, total: number) => void;
}

export interface SynthSummary {
  readonly shape: SynthShapeName;
  readonly seed: number;
  readonly instances: number;
  readonly facts: Readonly<Record<string, number>>;
  readonly statePath: string;
  readonly stateBytes: number;
  readonly lineage: string;
  /** Files written, relative to outDir, sorted. */
  readonly files: readonly string[];
}

function shapeFor(name: SynthShapeName, resources: number, seed: number): SynthShape {
  switch (name) {
    case 'customers':
      return customersShape(resources, seed);
    case 'chain':
      return chainShape(resources, seed);
    case 'wide':
      return wideShape(resources, seed);
    case 'random':
      return randomShape(resources, seed);
  }
}

async function writeChunks(path: string, chunks: Iterable<string>): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const out = await BufferedFileWriter.open(path);
  try {
    for (const c of chunks) await out.write(c);
  } finally {
    await out.close();
  }
  return out.bytesWritten;
}

/**
 * Synthesises the workspace. O(instances) time (chain: O(N²), its dependency lists are), O(1 resource) memory.
 * @throws SynthOptionsError for a size or shape that cannot be made.
 */
export async function synthWorkspace(options: SynthOptions): Promise<SynthSummary> {
  const { resources, shape: shapeName } = options;
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(resources) || resources < 1) throw new SynthOptionsError(`resources must be a positive integer, got ${resources}`);
  if (!(SYNTH_SHAPES as readonly string[]).includes(shapeName)) throw new SynthOptionsError(`unknown shape '${String(shapeName)}' (one of ${SYNTH_SHAPES.join(', ')})`);
  if (!Number.isSafeInteger(seed)) throw new SynthOptionsError(`seed must be an integer, got ${seed}`);
  const shape = shapeFor(shapeName, resources, seed);
  const files: string[] = [];
  for (const [rel, chunks] of shape.configFiles()) {
    await writeChunks(join(options.outDir, rel), chunks);
    files.push(rel);
  }
  const lineage = syntheticUuid(seed ^ 0x5bd1e995, 0xffffffff);
  const statePath = join(options.outDir, 'terraform.tfstate');
  const total = shape.instanceCount;
  let written = 0;
  function* stateText(): Iterable<string> {
    yield `{\n  "version": 4,\n  "terraform_version": "${SYNTH_TERRAFORM_VERSION}",\n  "serial": 1,\n  "lineage": "${lineage}",\n  "outputs": {},\n  "resources": [`;
    let first = true;
    for (const resource of shape.resources()) {
      yield first ? '\n' : ',\n';
      first = false;
      for (const chunk of terraformDataResourceJson(resource)) {
        written++;
        yield chunk;
      }
      written--; // the closing chunk is not an instance
      options.onProgress?.(written, total);
    }
    yield first ? ']' : '\n  ]';
    yield ',\n  "check_results": null\n}\n';
  }
  const stateBytes = await writeChunks(statePath, stateText());
  files.push('terraform.tfstate');
  return { shape: shapeName, seed, instances: total, facts: shape.facts, statePath, stateBytes, lineage, files: files.sort() };
}
