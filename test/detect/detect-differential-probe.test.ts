// Differential test: on generated terraform_data workspaces, applied for real, random edits of every kind the
// detector must attribute; the detector's changed set (plus new blocks, plus velocity's downstream cone) must
// contain every change of Terraform's own probe (`plan -refresh=false`), and precision is reported.
// The downstream cone is the engine's own (bottomCone on the StateGraph), as velocity plan uses it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { parseState } from '../../src/state/parse-state.js';
import { parseResourceAddress } from '../../src/state/address.js';
import { TERRAFORM, initAndApply, probe } from '../support/terraform-probe.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { SeededRandom } from '../../src/synth/seeded-random.js';

/** A seeded PRNG (the synth module's) as a function returning floats in [0, 1). */
function rng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const TIERS = ['gold', 'silver', 'bronze', 'iron'];

function baseFiles(customers: number, devices: number): Record<string, string> {
  const cs = Array.from({ length: customers }, (_, i) => `  c${i} = { tier = "${TIERS[i % TIERS.length]}" }`).join('\n');
  return {
    'main.tf': `variable "customers" {
  type = map(object({ tier = string }))
}

variable "device_count" {
  default = ${devices}
}

variable "env" {
  default = "prod"
}

locals {
  prefix = "\${var.env}-x"
  unused = "u"
}

resource "terraform_data" "controller" {
  input = local.prefix
}

resource "terraform_data" "static_a" {
  input = "a"
}

resource "terraform_data" "static_b" {
  input = "b"
}

resource "terraform_data" "from_file" {
  input = file("\${path.module}/cfg.txt")
}

module "customer" {
  source       = "./modules/customer"
  for_each     = var.customers
  tier         = each.value.tier
  device_count = var.device_count
  ctl          = terraform_data.controller.id
}
`,
    'cfg.txt': 'config v1\n',
    'terraform.tfvars': `customers = {\n${cs}\n}\n`,
    'modules/customer/main.tf': `variable "tier" {}
variable "device_count" {}
variable "ctl" {}

variable "label" {
  default = "L"
}

resource "terraform_data" "site" {
  input = "\${var.tier}-\${var.ctl}"
}

resource "terraform_data" "device" {
  count = var.device_count
  input = "\${terraform_data.site.id}-\${count.index}"
}

resource "terraform_data" "label" {
  input = var.label
}
`,
  };
}

type Files = Record<string, string>;
interface Edit {
  readonly name: string;
  apply(f: Files, r: () => number): void;
}

const sub = (f: Files, path: string, from: string | RegExp, to: string): void => {
  const before = f[path] as string;
  const after = before.replace(from, to);
  if (after === before) throw new Error(`edit did not apply: ${String(from)} in ${path}`);
  f[path] = after;
};

const EDITS: readonly Edit[] = [
  { name: 'literal in a resource', apply: (f) => sub(f, 'main.tf', 'input = "a"', 'input = "a2"') },
  { name: 'local value', apply: (f) => sub(f, 'main.tf', 'default = "prod"', 'default = "staging"') },
  { name: 'variable value in tfvars', apply: (f, r) => sub(f, 'terraform.tfvars', /tier = "\w+"/, `tier = "t${Math.floor(r() * 1000)}"`) },
  { name: 'module input', apply: (f) => sub(f, 'main.tf', 'tier         = each.value.tier', 'tier         = "${each.value.tier}-v2"') },
  {
    name: 'count size',
    apply: (f, r) => {
      const n = Number(/default = (\d+)/.exec(f['main.tf'] as string)?.[1]);
      sub(f, 'main.tf', /default = \d+/, `default = ${r() < 0.5 && n > 1 ? n - 1 : n + 1}`);
    },
  },
  { name: 'for_each size (add)', apply: (f) => sub(f, 'terraform.tfvars', 'customers = {\n', 'customers = {\n  new1 = { tier = "gold" }\n') },
  { name: 'for_each size (remove)', apply: (f) => sub(f, 'terraform.tfvars', /\n  c0 = \{[^\n]*\}/, '') },
  { name: 'add a resource', apply: (f) => (f['extra.tf'] = 'resource "terraform_data" "added" {\n  input = local.prefix\n}\n') },
  { name: 'remove a resource', apply: (f) => sub(f, 'main.tf', /resource "terraform_data" "static_b" \{\n  input = "b"\n\}\n/, '') },
  { name: 'referenced file content', apply: (f) => (f['cfg.txt'] = 'config v2\n') },
  { name: 'module variable default', apply: (f) => sub(f, 'modules/customer/main.tf', 'default = "L"', 'default = "L2"') },
  { name: 'literal in a module resource', apply: (f) => sub(f, 'modules/customer/main.tf', '-${count.index}"', '-${count.index}-x"') },
];

function blockOf(address: string): string {
  const a = parseResourceAddress(address);
  return `${a.module.map((s) => `module.${s.name}.`).join('')}${a.mode === 'data' ? 'data.' : ''}${a.type}.${a.name}`;
}

const ROUNDS = 7;
const hasTerraform = TERRAFORM !== undefined;

describe.runIf(hasTerraform)('configuration detector vs. the probe (real terraform)', () => {
  let root = '';
  let base = '';
  let files: Files = {};
  const r = rng(20261123);
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'velocity-diff-'));
    base = join(root, 'base');
    files = baseFiles(2 + Math.floor(r() * 3), 1 + Math.floor(r() * 3));
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(dirname(join(base, p)), { recursive: true });
      writeFileSync(join(base, p), t);
    }
    await initAndApply(base);
    const state = parseState(readFileSync(join(base, 'terraform.tfstate')), 'terraform.tfstate');
    await new ConfigChangeDetector().record({ workingDir: base, state, env: {} });
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(`never misses a change the probe finds, over ${ROUNDS} rounds of random edits (precision reported)`, async () => {
    const report: string[] = [];
    let tp = 0;
    let reported = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(root, `round${round}`);
      cpSync(base, dir, { recursive: true });
      // Each round combines 1-2 edits; the first rounds cover the kinds in order, then pick at random.
      // Rounds 0-5 cover the twelve kinds two by two; the last round piles up three at random.
      const picks =
        round < EDITS.length / 2
          ? new Set<number>([2 * round, 2 * round + 1])
          : new Set<number>([0, 1, 2].map(() => Math.floor(r() * EDITS.length)));
      const edited: Files = { ...files };
      const names: string[] = [];
      for (const i of picks) {
        const e = EDITS[i] as Edit;
        e.apply(edited, r);
        names.push(e.name);
      }
      for (const [p, t] of Object.entries(edited)) if (files[p] !== t) writeFileSync(join(dir, p), t);
      const state = parseState(readFileSync(join(dir, 'terraform.tfstate')), 'terraform.tfstate');
      const det = await new ConfigChangeDetector().detect({ workingDir: dir, state, env: {} });
      expect(det.fallback, names.join(' + ')).toBeUndefined();
      const changes = await probe(dir);
      const changed = new Set(det.changed);
      const blocks = new Set(det.changedBlocks);
      // What velocity plans: the changed set plus the engine's downstream cone of it.
      const cone = new Set(det.changed.length === 0 ? [] : bottomCone(StateGraph.fromState(state), det.changed));
      const created = (a: string): boolean => det.newInstances.some((i) => a.startsWith(`${i}.`));
      const missed = changes.filter((c) => !changed.has(c.address) && !blocks.has(blockOf(c.address)) && !created(c.address) && !cone.has(c.address));
      expect(missed, `round ${round} (${names.join(' + ')})`).toEqual([]);
      const probeSet = new Set(changes.map((c) => c.address));
      const hits = det.changed.filter((a) => probeSet.has(a)).length;
      tp += hits;
      reported += det.changed.length;
      report.push(
        `round ${round} [${names.join(' + ')}]: probe ${changes.length} change(s), detector ${det.changed.length} instance(s) + ${det.newBlocks.length} new block(s) + ${det.newInstances.length} new module instance(s), ` +
          `${hits} in common, ${changes.length - changes.filter((c) => changed.has(c.address)).length} covered by new blocks/instances or the cone`,
      );
      rmSync(dir, { recursive: true, force: true });
    }
    const precision = reported === 0 ? 1 : tp / reported;
    report.push(`precision (detector instances the probe also changed / detector instances): ${(precision * 100).toFixed(1)}%`);
    console.log(report.join('\n'));
    expect(tp).toBeGreaterThan(0);
  }, 300_000);

  it('falls back (never guesses) on an edit it cannot attribute', async () => {
    const dir = join(root, 'unattributable');
    cpSync(base, dir, { recursive: true });
    writeFileSync(join(dir, 'moved.tf'), 'moved {\n  from = terraform_data.static_a\n  to   = terraform_data.renamed\n}\n');
    const state = parseState(readFileSync(join(dir, 'terraform.tfstate')), 'terraform.tfstate');
    const det = await new ConfigChangeDetector().detect({ workingDir: dir, state, env: {} });
    expect(det.fallback?.to).toBe('probe');
  });
});
