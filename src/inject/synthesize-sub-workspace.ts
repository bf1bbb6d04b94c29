// Writes the sub-workspace of a scope (DESIGN.md "Execution modes", inject): the configuration blocks owning the
// instances to refresh, the module calls on their path with for_each reduced to the keys that hold them, the
// locals/variables/outputs they read, every other resource they read as a literal from the state, and a state slice.
// Guarantees: every address is unchanged; a construct it cannot carry over soundly is reported (`blocked`), never
// approximated; the real workspace is only read.

import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigParseError } from '../config/config-errors.js';
import { diskReader } from '../config/config-reader.js';
import { loadConfig } from '../config/load-config.js';
import { ParseCache } from '../config/parse-cache.js';
import type { StateGraph } from '../graph/state-graph.js';
import { formatKey, parseModulePath, parseTarget, targetModule, type ModuleStep } from '../state/address.js';
import type { IndexKey, InstanceRecord } from '../state/instance-record.js';
import { blockInstances } from './block-instances.js';
import { loadConfigDocuments, type Body, type ModuleDoc } from './config-documents.js';
import { hclLiteral, hclString, type CtyType, type ValuePath } from './hcl-literal.js';
import { resourceTypes } from './provider-types.js';
import { SynthCache } from './synth-cache.js';
import { writeStateSlice } from './state-slice.js';
import { compareEntryKeys, type ResourceEntryKey } from './sub-workspace-manifest.js';
import { rewriteTemplate, templateRefs, type TemplateInfo, type TemplateRef } from './template-refs.js';

export interface SynthesizeOptions {
  readonly graph: StateGraph;
  /** The state file the graph was read from (instance objects are read from it by byte span). */
  readonly statePath: string;
  /** Instance addresses to plan (the scope's refresh set). */
  readonly refresh: readonly string[];
  /** Changed addresses that are not in the state yet (creates). */
  readonly creates: readonly string[];
  /** Root outputs the change may alter (the detector's word), or undefined when not known: then every one is kept. */
  readonly changedOutputs?: readonly string[];
  /** The real workspace (configuration, `.terraform`, tfvars). */
  readonly workingDir: string;
  /** Directory to write the sub-workspace into (created). */
  readonly outDir: string;
  /** `terraform.workspace` of the real workspace. */
  readonly workspace: string;
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /**
   * The plan will be saved (-out): the slice then gets the lineage `velocity-sub-<real lineage>`, so Terraform
   * refuses that plan file on the real state ("Saved plan is stale") instead of writing the slice over it.
   */
  readonly savedPlan?: boolean;
}

export type SynthesizeResult =
  | { readonly kind: 'blocked'; readonly reason: string }
  | {
      readonly kind: 'written';
      readonly dir: string;
      /** Instances in the state slice (what the binary plans), sorted. */
      readonly kept: readonly string[];
      /** Kept instances beyond `refresh` (a resource kept whole), sorted: they are refreshed too. */
      readonly extra: readonly string[];
      /** Resource blocks written as literals, and the literal instances. */
      readonly literals: { readonly blocks: number; readonly instances: number };
      /** Root outputs kept (the others are carried over unchanged). */
      readonly outputs: readonly string[];
      /** The state slice's resources[] entries in Terraform's order, with the instance keys held when not all of them. */
      readonly owned: readonly ResourceEntryKey[];
      /** The slice's lineage (the real one, or subLineage of it for a saved plan). */
      readonly sliceLineage: string;
      /** Kept block (state dependency form) → the non-kept resources it reads through literals (see literalDependencies). */
      readonly dependencies: Readonly<Record<string, readonly string[]>>;
    };

class Blocked extends Error {}
const block = (reason: string): never => {
  throw new Blocked(reason);
};

const FILE_FUNCTIONS = /\b(file|filebase64|filebase64sha256|filebase64sha512|fileexists|filemd5|filesha1|filesha256|filesha512|fileset|templatefile)\s*\(/;
const GEN = 'velocity_';

/** A module instance of the sub-workspace: its path from the state and what it keeps. */
interface Instance {
  readonly path: string;
  readonly steps: readonly ModuleStep[];
  /** Kept resource instance keys per block key (`T.N` / `data.T.N`); null = the instance without a key. */
  readonly blocks: Map<string, Set<IndexKey | null>>;
}

/** What one configuration module keeps. */
interface Kept {
  readonly doc: ModuleDoc;
  readonly instances: Map<string, Instance>;
  readonly blocks: Set<string>;
  /** Kept blocks whose every instance is kept (referenced whole or by a computed key). */
  readonly whole: Set<string>;
  readonly locals: Set<string>;
  readonly variables: Set<string>;
  readonly outputs: Set<string>;
  /** Needed module calls: name → 'all' instances, or the constant keys named besides those holding kept blocks. */
  readonly calls: Map<string, 'all' | Set<IndexKey>>;
  /** Instance keys of kept blocks that kept code names with a constant key (`x.y["k"]`): kept in every instance. */
  readonly constKeys: Map<string, Set<IndexKey>>;
  /** Non-kept resource blocks read by kept code: block key → generated local name. */
  readonly literals: Map<string, string>;
}

const keyText = (k: IndexKey): string => (typeof k === 'number' ? String(k) : k);
const sortedKeys = <T>(m: Map<string, T>): string[] => [...m.keys()].sort();
const pathKey = (names: readonly string[]): string => names.join('.');
const childPath = (parent: string, call: string, key: IndexKey | undefined): string =>
  `${parent === '' ? '' : `${parent}.`}module.${call}${key === undefined ? '' : formatKey(key)}`;

/** Every template string inside a JSON-syntax value, with a setter to replace it. */
function templatesOf(value: unknown, out: { get: () => string; set: (s: string) => void }[], holder?: unknown[] | Body, at?: number | string): void {
  if (typeof value === 'string' && holder !== undefined && at !== undefined) {
    const h = holder as Record<string | number, unknown>;
    out.push({ get: () => h[at] as string, set: (s) => (h[at] = s) });
  } else if (Array.isArray(value)) value.forEach((v, i) => templatesOf(v, out, value, i));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) templatesOf(v, out, value as Body, k);
}

const clone = <T>(v: T): T => structuredClone(v);

/** Strips a single `${...}` around a traversal (depends_on, provider, ignore_changes take traversals, not templates). */
const unwrap = (s: unknown): string => (typeof s === 'string' && s.startsWith('${') && s.endsWith('}') ? s.slice(2, -1).trim() : String(s));

/**
 * Synthesizes the sub-workspace. Cost: O(configuration text) to read the configuration (parse cache for the module
 * tree; `.tf` files through the HCL parser), O(kept + literal instances) reads of instance objects by byte span, and
 * one `providers schema -json` per lock file for providers other than Terraform's built-in one.
 */
export async function synthesizeSubWorkspace(options: SynthesizeOptions): Promise<SynthesizeResult> {
  try {
    return await synthesize(options);
  } catch (error) {
    if (error instanceof Blocked) return { kind: 'blocked', reason: error.message };
    // NOTE: a configuration velocity cannot read is the binary's to report (the -target plan then shows the error).
    if (error instanceof ConfigParseError) return { kind: 'blocked', reason: `the configuration could not be read (${error.message})` };
    throw error;
  }
}

async function synthesize(o: SynthesizeOptions): Promise<SynthesizeResult> {
  const { graph } = o;
  const cache = await new ParseCache(join(o.workingDir, '.velocity', 'parse-cache.json')).load();
  const tree = await loadConfig(diskReader(o.workingDir), cache);
  await cache.save();
  const problem = tree.problems[0];
  if (problem) block(`${problem.where}: ${problem.reason}`);
  const synthCache = new SynthCache(join(o.workingDir, '.velocity', 'cache', 'inject'));
  const docs = await loadConfigDocuments(o.workingDir, tree, synthCache);
  for (const d of docs.values()) {
    for (const kind of [...d.others.keys()].sort()) block(`a \`${kind}\` block (${d.path.length === 0 ? 'root module' : `module.${d.path.join('.module.')}`}) is not carried into a sub-workspace`);
    if (d.dir.startsWith('../') || d.dir.startsWith('/')) block(`module.${d.path.join('.module.')} lives outside the workspace (${d.dir})`);
  }

  const kept = new Map<string, Kept>();
  const keptOf = (cfg: string): Kept => {
    let k = kept.get(cfg);
    if (!k) {
      const doc = docs.get(cfg) ?? block(`module ${cfg} is not in the configuration`);
      k = { doc, instances: new Map(), blocks: new Set(), whole: new Set(), locals: new Set(), variables: new Set(), outputs: new Set(), calls: new Map(), constKeys: new Map(), literals: new Map() };
      kept.set(cfg, k);
    }
    return k;
  };
  const instanceOf = (steps: readonly ModuleStep[]): Instance => {
    // Every module instance on the path is kept, from the root down.
    let path = '';
    let inst: Instance | undefined;
    for (let depth = 0; depth <= steps.length; depth++) {
      const k = keptOf(pathKey(steps.slice(0, depth).map((s) => s.name)));
      if (depth > 0) path = childPath(path, (steps[depth - 1] as ModuleStep).name, (steps[depth - 1] as ModuleStep).key);
      inst = k.instances.get(path);
      if (!inst) {
        inst = { path, steps: steps.slice(0, depth), blocks: new Map() };
        k.instances.set(path, inst);
      }
      if (depth > 0) {
        const parent = keptOf(pathKey(steps.slice(0, depth - 1).map((s) => s.name)));
        const name = (steps[depth - 1] as ModuleStep).name;
        if (!parent.calls.has(name)) parent.calls.set(name, new Set());
      }
    }
    return inst as Instance;
  };
  const blockKeyOf = (r: Pick<InstanceRecord, 'mode' | 'type' | 'name'>): string => (r.mode === 'data' ? `data.${r.type}.${r.name}` : `${r.type}.${r.name}`);

  // 1. The instances to plan, by module instance and block. Orphans (no block any more) go into the slice only.
  const sliceIds = new Set<number>();
  for (const address of o.refresh) {
    const id = graph.index.idOf(address);
    if (id === undefined) continue;
    const r = graph.index.record(id);
    if (r.deposedCount > 0) block(`${address} has a deposed object`);
    sliceIds.add(id);
    const steps = parseModulePath(r.module);
    const doc = docs.get(pathKey(steps.map((s) => s.name)));
    const bk = blockKeyOf(r);
    if (!doc?.resources.has(bk)) continue; // an orphan: destroyed by the plan, as in the real workspace
    const inst = instanceOf(steps);
    keptOf(pathKey(steps.map((s) => s.name))).blocks.add(bk);
    const keys = inst.blocks.get(bk) ?? new Set<IndexKey | null>();
    keys.add(r.indexKey);
    inst.blocks.set(bk, keys);
  }
  // Creates: blocks (or module instances) not in the state yet. A block named without the instance keys of its module
  // calls is a change of the block in every module instance the state has (a count 0 -> 1 inside a for_each module).
  const stateModules = lazyModuleInstances(graph);
  for (const address of o.creates) {
    let t;
    try {
      t = parseTarget(address);
    } catch {
      block(`the create ${address} is not an address velocity can place`);
    }
    const steps = targetModule(t!);
    const k = keptOf(pathKey(steps.map((s) => s.name)));
    if (t!.kind === 'module') {
      checkKeyed(docs, steps, address);
      const inst = instanceOf(steps);
      if (k.doc.calls.size > 0) block(`the new module instance ${address} calls further modules`);
      for (const bk of k.doc.resources.keys()) {
        k.blocks.add(bk);
        k.whole.add(bk);
        inst.blocks.set(bk, inst.blocks.get(bk) ?? new Set());
      }
      continue;
    }
    const res = t!.resource;
    const bk = blockKeyOf(res);
    if (!k.doc.resources.has(bk)) block(`the create ${address} has no block in the configuration`);
    k.blocks.add(bk);
    if (res.key === undefined) k.whole.add(bk);
    for (const placed of placements(docs, steps, address, stateModules)) {
      const inst = instanceOf(placed);
      const keys = inst.blocks.get(bk) ?? new Set<IndexKey | null>();
      if (res.key !== undefined) keys.add(res.key);
      inst.blocks.set(bk, keys);
    }
  }
  instanceOf([]); // the root module instance always exists

  // 2. What the kept code reads: a worklist over configuration modules and the expressions they keep.
  const infos = new Map<string, TemplateInfo>();
  const refsOf = async (file: string, values: readonly unknown[]): Promise<void> => {
    const texts: string[] = [];
    for (const v of values) {
      const ts: { get: () => string; set: (s: string) => void }[] = [];
      templatesOf([v], ts);
      for (const t of ts) if (!infos.has(t.get())) texts.push(t.get());
    }
    const all = [...new Set(texts)];
    const cached = await synthCache.templates(all);
    const unique = all.filter((_, i) => cached[i] === undefined);
    for (const [i, t] of all.entries()) if (cached[i] !== undefined) infos.set(t, cached[i] as TemplateInfo);
    const parsed = await templateRefs(file, unique);
    for (const [i, t] of unique.entries()) if (parsed[i]) synthCache.rememberTemplate(t, parsed[i] as TemplateInfo);
    for (const [i, t] of unique.entries()) {
      const info = parsed[i];
      if (info === null || info === undefined) block(`an expression in ${file} does not parse: ${t.slice(0, 80)}`);
      infos.set(t, info!);
    }
    for (const t of all) {
      if (t.includes('provider::')) block(`a provider-defined function (${/provider::[\w:]+/.exec(t)?.[0] ?? 'provider::'}) in ${file}`);
      // NOTE: the workspace's other files are linked into the sub-workspace (linkWorkspaceFiles): a file read
      // inside the workspace reads the same bytes; one outside it (`..`, an absolute path) would not be found.
      if (FILE_FUNCTIONS.test(t) && /\.\.|"\//.test(t)) block(`an expression in ${file} reads a file outside the workspace (${FILE_FUNCTIONS.exec(t)?.[1]}())`);
    }
  };
  const refsIn = (value: unknown): TemplateRef[] => {
    const ts: { get: () => string; set: (s: string) => void }[] = [];
    templatesOf([value], ts);
    return ts.flatMap((t) => infos.get(t.get())?.refs ?? []);
  };

  type Work = { cfg: string; value: unknown; what: string; meta?: boolean };
  const queue: Work[] = [];
  for (const [cfg, k] of kept) {
    for (const bk of k.blocks) queue.push({ cfg, value: k.doc.resources.get(bk)?.body, what: bk, meta: true });
    for (const call of k.calls.keys()) queue.push({ cfg, value: callMeta(k.doc.calls.get(call)), what: `module.${call}`, meta: true });
  }
  // Root variables and providers of every emitted module are always carried.
  const root = keptOf('');
  for (const v of root.doc.variables.keys()) root.variables.add(v);
  const needCall = (k: Kept, cfg: string, call: string, use: 'all' | IndexKey | undefined): void => {
    const had = k.calls.has(call);
    const cur = k.calls.get(call) ?? new Set<IndexKey>();
    if (use === 'all') k.calls.set(call, 'all');
    else if (cur !== 'all' && use !== undefined) k.calls.set(call, cur.add(use));
    else if (!had) k.calls.set(call, cur);
    if (!had) queue.push({ cfg, value: callMeta(k.doc.calls.get(call)), what: `module.${call}`, meta: true });
  };
  const seenProviders = new Set<string>();
  const usesPathModule = new Set<string>();
  // NOTE: hoisted function: the worklist runs twice, before and after the root outputs are chosen.
  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const w = queue.shift() as Work;
      const k = keptOf(w.cfg);
      if (!seenProviders.has(w.cfg)) {
        seenProviders.add(w.cfg);
        for (const [, bodies] of k.doc.providers) queue.push({ cfg: w.cfg, value: bodies, what: 'provider' });
        if (w.cfg === '') for (const v of k.doc.variables.values()) queue.push({ cfg: '', value: v, what: 'variable' });
      }
      await refsOf(k.doc.files[0] ?? 'config', [w.value]);
      const metaRefs = w.meta ? refsIn(metaOf(w.value)) : [];
      for (const r of refsIn(w.value)) {
        switch (r.kind) {
          case 'path':
            if (r.name === 'cwd') block(`${w.what} reads path.cwd (the sub-workspace is another directory)`);
            if (r.name === 'module') usesPathModule.add(w.cfg);
            break;
          case 'workspace':
            if (o.workspace !== 'default') block(`${w.what} reads terraform.workspace (${o.workspace})`);
            break;
          case 'var':
            if (w.cfg !== '' && !k.variables.has(r.name) && k.doc.variables.has(r.name)) {
              k.variables.add(r.name);
              queue.push({ cfg: w.cfg, value: k.doc.variables.get(r.name), what: `var.${r.name}` });
              const parentCfg = pathKey(k.doc.path.slice(0, -1));
              const arg = keptOf(parentCfg).doc.calls.get(k.doc.path[k.doc.path.length - 1] as string)?.[r.name];
              if (arg !== undefined) queue.push({ cfg: parentCfg, value: arg, what: `module.${k.doc.path.join('.')} input ${r.name}` });
            }
            break;
          case 'local':
            if (!k.locals.has(r.name) && k.doc.locals.has(r.name)) {
              k.locals.add(r.name);
              queue.push({ cfg: w.cfg, value: k.doc.locals.get(r.name), what: `local.${r.name}` });
            }
            break;
          case 'module': {
            if (!k.doc.calls.has(r.name)) break;
            needCall(k, w.cfg, r.name, r.use.kind === 'const' ? r.use.key : r.use.kind === 'whole' && !callKeyed(k.doc.calls.get(r.name)) ? undefined : 'all');
            const child = keptOf(pathKey([...k.doc.path, r.name]));
            const outs = r.output !== undefined ? [r.output] : [...child.doc.outputs.keys()];
            for (const out of outs) {
              if (child.outputs.has(out) || !child.doc.outputs.has(out)) continue;
              child.outputs.add(out);
              queue.push({ cfg: pathKey([...k.doc.path, r.name]), value: child.doc.outputs.get(out), what: `module.${r.name}.${out}` });
            }
            break;
          }
          case 'resource':
          case 'data': {
            if (!k.doc.resources.has(r.name)) break; // a `for` variable, not a block
            if (k.blocks.has(r.name)) {
              if (metaRefs.includes(r)) block(`the for_each/count of ${w.what} depends on ${r.name}, which this plan changes`);
              if (r.use.kind !== 'const') k.whole.add(r.name);
              else k.constKeys.set(r.name, (k.constKeys.get(r.name) ?? new Set()).add(r.use.key));
            } else if (!k.literals.has(r.name)) k.literals.set(r.name, `${GEN}s${k.literals.size}`);
            break;
          }
        }
      }
    }
  }

  await drain();

  // 3. Root outputs: kept when they may change in this plan (they read a kept block or a root variable).
  // NOTE: an output's own text (or a local it reads) may have changed: only the detector can say; not knowing, keep all.
  const affected = await keptRootOutputs(docs, kept, refsOf, refsIn);
  const rootOutputs = o.changedOutputs === undefined ? sortedKeys(root.doc.outputs) : [...new Set([...affected, ...o.changedOutputs.filter((n) => root.doc.outputs.has(n))])].sort();
  for (const out of rootOutputs) {
    root.outputs.add(out);
    queue.push({ cfg: '', value: root.doc.outputs.get(out), what: `output.${out}` });
  }
  // Outputs pull in more (locals, module outputs, literals).
  await drain();

  // 4. Module instances: top-down, the instances of every needed call under every kept parent instance.
  const cfgs = [...kept.keys()].sort((a, b) => a.split('.').length - b.split('.').length || (a < b ? -1 : 1));
  for (const cfg of cfgs) {
    const k = kept.get(cfg) as Kept;
    for (const [call, use] of k.calls) {
      const body = k.doc.calls.get(call) ?? {};
      const child = keptOf(pathKey([...k.doc.path, call]));
      for (const parent of [...k.instances.values()]) {
        const keyed = callKeyed(body);
        let keys: (IndexKey | undefined)[];
        if (!keyed) keys = [undefined];
        else if (use === 'all' || body['count'] !== undefined) keys = stateModules().children(parent.path, call);
        else keys = [...use];
        for (const key of keys) {
          const steps = [...parent.steps, { name: call, ...(key !== undefined ? { key } : {}) }];
          if (!child.instances.has(childPath(parent.path, call, key))) child.instances.set(childPath(parent.path, call, key), { path: childPath(parent.path, call, key), steps, blocks: new Map() });
        }
      }
    }
  }

  // 5. Instances of kept blocks: whole blocks, blocks without for_each (count or none) keep every instance of
  // every kept module instance; for_each blocks keep the keys named.
  const instances = blockInstances(graph, sliceIds);
  const keepKeys = new Map<string, Map<string, Map<string, IndexKey[]>>>(); // cfg → block → instance path → keys
  for (const [cfg, k] of kept) {
    for (const bk of [...k.blocks].sort()) {
      const body = k.doc.resources.get(bk)?.body ?? {};
      const fe = body['for_each'];
      const filtered = fe !== undefined && !k.whole.has(bk) && (typeof fe !== 'string' || infos.get(fe)?.inner !== undefined);
      if (body['for_each'] !== undefined && !filtered) k.whole.add(bk);
      const perInstance = new Map<string, IndexKey[]>();
      for (const inst of k.instances.values()) {
        const address = `${inst.path === '' ? '' : `${inst.path}.`}${bk}`;
        if (!filtered) {
          for (const id of instances.of(inst.path, bk)) sliceIds.add(id);
          continue;
        }
        const keys = [...new Set([...(inst.blocks.get(bk) ?? []), ...(k.constKeys.get(bk) ?? [])])].filter((x): x is IndexKey => x !== null);
        perInstance.set(inst.path, keys);
        for (const key of keys) {
          const id = graph.index.idOf(`${address}${formatKey(key)}`);
          if (id !== undefined) sliceIds.add(id);
        }
      }
      if (filtered) {
        const byBlock = keepKeys.get(cfg) ?? new Map<string, Map<string, IndexKey[]>>();
        byBlock.set(bk, perInstance);
        keepKeys.set(cfg, byBlock);
      }
    }
  }
  for (const id of sliceIds) if (graph.index.record(id).deposedCount > 0) block(`${graph.index.address(id)} has a deposed object`);

  // 6. Literals: the state's value of every non-kept block kept code reads, per kept module instance.
  const wanted: { provider: string; key: string }[] = [];
  const literalIds = new Map<string, Map<string, Map<string, number[]>>>(); // cfg → block → instance → ids
  let literalInstances = 0;
  for (const [cfg, k] of kept) {
    const byBlock = new Map<string, Map<string, number[]>>();
    for (const bk of k.literals.keys()) {
      const per = new Map<string, number[]>();
      for (const inst of k.instances.values()) {
        const ids = instances.of(inst.path, bk);
        per.set(inst.path, ids);
        literalInstances += ids.length;
        for (const id of ids) {
          const r = graph.index.record(id);
          wanted.push({ provider: r.provider, key: `${r.mode}:${r.type}` });
        }
      }
      byBlock.set(bk, per);
    }
    literalIds.set(cfg, byBlock);
  }
  const { types, missing } = await resourceTypes(wanted, { binary: o.binary, workingDir: o.workingDir, env: o.env, ...(o.signal ? { signal: o.signal } : {}) });
  if (missing.length > 0) block(`no provider schema for ${missing.join(', ')} (needed to write their values as literals)`);
  const objects = await readObjects(o.statePath, graph, [...new Set([...sliceIds, ...[...literalIds.values()].flatMap((m) => [...m.values()].flatMap((p) => [...p.values()].flat()))])]);

  await synthCache.save();

  // 7. Emit. Each module at its own directory (so path.module is unchanged); a second call of the same source
  // directory gets its own pruned copy elsewhere, which is sound only if its kept code never reads path.module.
  const dirs = new Map<string, string>();
  const taken = new Set<string>();
  for (const [cfg, k] of [...kept].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!taken.has(k.doc.dir)) {
      taken.add(k.doc.dir);
      dirs.set(cfg, k.doc.dir);
      continue;
    }
    if (usesPathModule.has(cfg)) block(`module.${k.doc.path.join('.module.')} shares its source directory with another kept call and reads path.module`);
    dirs.set(cfg, `.velocity-modules/${cfg}`);
  }
  await mkdir(o.outDir, { recursive: true });
  const forwards: Forward[] = [];
  const forward = (path: readonly string[], nest: string): string => {
    const name = `${GEN}in${forwards.length}`;
    forwards.push({ path, name, nest });
    return `var.${name}`;
  };
  const jsons = new Map<string, Body>();
  for (const [cfg, k] of [...kept].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    jsons.set(cfg, emitModule(cfg, k, { docs, kept, infos, keepKeys: keepKeys.get(cfg), literalIds: literalIds.get(cfg) ?? new Map(), objects, types, graph, forward }));
  wireForwards(jsons, docs, forwards);
  for (const [cfg, json] of jsons) {
    const dir = join(o.outDir, dirs.get(cfg) as string);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'velocity.tf.json'), `${JSON.stringify(json, null, 1)}\n`);
  }
  await writeManifest(o, kept, dirs);
  for (const [cfg, k] of kept) await linkWorkspaceFiles(join(o.workingDir, k.doc.dir), join(o.outDir, dirs.get(cfg) as string), [...dirs.values()], dirs.get(cfg) as string);
  const slice = [...sliceIds].sort((a, b) => a - b);
  const outputs = [...rootOutputs].sort();
  const sliceLineage = o.savedPlan === true ? subLineage(graph.meta.lineage) : graph.meta.lineage;
  await writeStateSlice(join(o.outDir, 'terraform.tfstate'), graph, slice, objects, outputs, sliceLineage);
  const keptAddresses = slice.map((id) => graph.index.address(id)).sort();
  const refresh = new Set(o.refresh);
  let literalBlocks = 0;
  for (const k of kept.values()) literalBlocks += k.literals.size;
  return {
    kind: 'written', dir: o.outDir, kept: keptAddresses, extra: keptAddresses.filter((a) => !refresh.has(a)),
    literals: { blocks: literalBlocks, instances: literalInstances }, outputs, owned: ownedEntries(graph, slice), sliceLineage,
    dependencies: literalDependencies(docs, kept, refsIn, (cfg, bk) => {
      // NOTE: a literal's own recorded dependencies: Terraform records transitive ones, and so does the merge.
      const out = new Set<string>();
      for (const ids of literalIds.get(cfg)?.get(bk)?.values() ?? []) for (const id of ids) for (const d of graph.index.record(id).dependencies) out.add(d);
      return out;
    }),
  };
}

/** A block's address as a state's `dependencies` names it: module call names without keys, then the block. */
const dependencyAddress = (path: readonly string[], bk: string): string => `${path.map((n) => `module.${n}.`).join('')}${bk}`;

/**
 * For every kept block, the resources it reads that the sub-workspace replaced with literals (directly, or through
 * locals, module inputs and module outputs) or names in `depends_on`: Terraform records no dependency on a literal,
 * so the merge adds these to the `dependencies` of the instances it takes from the sub-state; velocity's next cone
 * and Terraform's destroy order need them; with each literal, the dependencies the state records for it (transitive,
 * as Terraform writes them). A whole module call (`module.m`, `module.m["k"]`, `module.m[*].out`, `depends_on =
 * [module.m]`) is, for Terraform, a dependency on every resource in the module's tree, kept or not (count 0 too).
 * O(kept code + literal instances + module trees referenced whole).
 */
function literalDependencies(
  docs: ReadonlyMap<string, ModuleDoc>, kept: ReadonlyMap<string, Kept>, refsIn: (value: unknown) => TemplateRef[], recorded: (cfg: string, bk: string) => ReadonlySet<string>,
): Record<string, string[]> {
  // Every resource block in the tree of the module at configuration path `child` (itself and all its descendants).
  const treeBlocks = (child: string, deps: Set<string>): void => {
    for (const [cfg, doc] of docs) if (cfg === child || cfg.startsWith(`${child}.`)) for (const bk of doc.resources.keys()) deps.add(dependencyAddress(doc.path, bk));
  };
  const out: Record<string, string[]> = {};
  for (const [cfg, k] of [...kept].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    for (const bk of [...k.blocks].sort()) {
      const deps = new Set<string>();
      const seen = new Set<string>();
      const visit = (at: string, value: unknown, id: string): void => {
        const m = kept.get(at);
        if (m === undefined || seen.has(id)) return;
        seen.add(id);
        for (const r of refsIn(value)) {
          if (r.kind === 'local' && m.doc.locals.has(r.name)) visit(at, m.doc.locals.get(r.name), `${at}|local.${r.name}`);
          else if (r.kind === 'var' && m.doc.path.length > 0) {
            const parent = pathKey(m.doc.path.slice(0, -1));
            const arg = kept.get(parent)?.doc.calls.get(m.doc.path[m.doc.path.length - 1] as string)?.[r.name];
            if (arg !== undefined) visit(parent, arg, `${at}|var.${r.name}`);
          } else if (r.kind === 'module' && m.doc.calls.has(r.name)) {
            const child = pathKey([...m.doc.path, r.name]);
            if (r.output === undefined) treeBlocks(child, deps);
            const outputs = kept.get(child)?.doc.outputs;
            for (const name of r.output !== undefined ? [r.output] : [...(outputs?.keys() ?? [])]) if (outputs?.has(name)) visit(child, outputs.get(name), `${child}|output.${name}`);
          } else if ((r.kind === 'resource' || r.kind === 'data') && m.literals.has(r.name)) {
            deps.add(dependencyAddress(m.doc.path, r.name));
            for (const d of recorded(at, r.name)) deps.add(d);
          }
        }
      };
      const body = k.doc.resources.get(bk)?.body;
      visit(cfg, body, `${cfg}|${bk}`);
      for (const d of ([] as unknown[]).concat(body?.['depends_on'] ?? [])) {
        const name = unwrap(d);
        if (k.doc.resources.has(name) && !k.blocks.has(name)) deps.add(dependencyAddress(k.doc.path, name));
        else if (name.startsWith('module.') && k.doc.calls.has(name.slice('module.'.length))) treeBlocks(pathKey([...k.doc.path, name.slice('module.'.length)]), deps);
      }
      if (deps.size > 0) out[dependencyAddress(k.doc.path, bk)] = [...deps].sort();
    }
  }
  return out;
}

/**
 * The resources[] entries of `slice` (ids in state order), each with the keys it holds when it holds only some of
 * the entry's instances. O(slice + the entries' instances): an entry's instances have contiguous ids.
 */
function ownedEntries(graph: StateGraph, slice: readonly number[]): ResourceEntryKey[] {
  const entryOf = (id: number): string => {
    const r = graph.index.record(id);
    return `${r.module}\u0000${r.mode}\u0000${r.type}\u0000${r.name}`;
  };
  const out: ResourceEntryKey[] = [];
  for (let i = 0; i < slice.length; ) {
    const first = slice[i] as number;
    const key = entryOf(first);
    let j = i;
    while (j + 1 < slice.length && entryOf(slice[j + 1] as number) === key) j++;
    const last = slice[j] as number;
    // Whole when no instance of the entry lies outside [first, last] and none is missing inside it.
    const whole = last - first === j - i && (first === 0 || entryOf(first - 1) !== key) && (last + 1 >= graph.size || entryOf(last + 1) !== key);
    const r = graph.index.record(first);
    const keys = whole ? undefined : slice.slice(i, j + 1).map((id) => graph.index.record(id).indexKey).filter((k): k is IndexKey => k !== null);
    out.push({ module: r.module, mode: r.mode, type: r.type, name: r.name, ...(keys !== undefined ? { keys } : {}) });
    i = j + 1;
  }
  return out.sort(compareEntryKeys);
}

/** The lineage of a sub-workspace whose plan is saved: derived from the real one, never equal to it. */
export function subLineage(lineage: string): string {
  return `velocity-sub-${lineage}`;
}

/** A call's meta-arguments (for_each, count, depends_on, providers) as one value to scan. */
function callMeta(body: Body | undefined): Body {
  const b = body ?? {};
  const out: Body = {};
  for (const k of ['for_each', 'count', 'depends_on', 'providers']) if (b[k] !== undefined) out[k] = b[k];
  return out;
}

/** The for_each / count of a block, the expressions whose value decides which instances exist. */
function metaOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return [];
  const b = value as Body;
  return [b['for_each'], b['count']].filter((x) => x !== undefined);
}

const callKeyed = (body: Body | undefined): boolean => body?.['for_each'] !== undefined || body?.['count'] !== undefined;

/**
 * The module instances a create names: its own steps where every keyed call has a key; else every instance of the
 * unkeyed calls that the state holds (none: the block has no instance to create in). O(module instances) once.
 */
function placements(docs: Map<string, ModuleDoc>, steps: readonly ModuleStep[], address: string, modules: () => { children(parent: string, call: string): IndexKey[] }): ModuleStep[][] {
  let out: { path: string; steps: ModuleStep[] }[] = [{ path: '', steps: [] }];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as ModuleStep;
    const body = docs.get(pathKey(steps.slice(0, i).map((s) => s.name)))?.calls.get(step.name);
    if (body === undefined) block(`the create ${address} is in a module call that is not in the configuration`);
    const keyed = callKeyed(body);
    if (!keyed && step.key !== undefined) block(`the create ${address} names a key of module.${step.name}, which has none`);
    out = out.flatMap((p) => {
      const keys: (IndexKey | undefined)[] = !keyed ? [undefined] : step.key !== undefined ? [step.key] : modules().children(p.path, step.name);
      return keys.map((key) => ({ path: childPath(p.path, step.name, key), steps: [...p.steps, { name: step.name, ...(key !== undefined ? { key } : {}) }] }));
    });
  }
  return out.map((p) => p.steps);
}

/** A create inside a keyed module call must name the instance (else which instances it creates is not known here). */
function checkKeyed(docs: Map<string, ModuleDoc>, steps: readonly ModuleStep[], address: string): void {
  for (let i = 0; i < steps.length; i++) {
    const parent = docs.get(pathKey(steps.slice(0, i).map((s) => s.name)));
    const step = steps[i] as ModuleStep;
    const body = parent?.calls.get(step.name);
    if (body === undefined) block(`the create ${address} is in a module call that is not in the configuration`);
    if (callKeyed(body) !== (step.key !== undefined)) block(`the create ${address} does not name one instance of module.${step.name}`);
  }
}

/** Module instances present in the state under a parent instance, for one call: built once, O(N). */
function lazyModuleInstances(graph: StateGraph): () => { children(parent: string, call: string): IndexKey[] } {
  let built: Map<string, Set<IndexKey>> | undefined;
  return () => {
    if (!built) {
      built = new Map();
      const seen = new Set<string>();
      for (let id = 0; id < graph.size; id++) {
        const m = graph.index.record(id).module;
        if (m === '' || seen.has(m)) continue;
        seen.add(m);
        const steps = parseModulePath(m);
        let path = '';
        for (const s of steps) {
          const slot = `${path}\u0000${s.name}`;
          const set = built.get(slot) ?? new Set<IndexKey>();
          if (s.key !== undefined) set.add(s.key);
          built.set(slot, set);
          path = childPath(path, s.name, s.key);
        }
      }
    }
    const b = built;
    return { children: (parent, call) => [...(b.get(`${parent}\u0000${call}`) ?? [])].sort((x, y) => (String(x) < String(y) ? -1 : 1)) };
  };
}

/** The stored object of each instance (its JSON as in the state), by id, read by byte span in file order. O(spans). */
async function readObjects(statePath: string, graph: StateGraph, ids: readonly number[]): Promise<Map<number, Record<string, unknown>>> {
  const out = new Map<number, Record<string, unknown>>();
  const spans = ids.map((id) => ({ id, span: graph.index.record(id).span }));
  if (spans.some((s) => s.span === undefined)) block('the state was read without byte spans (instances cannot be copied)');
  spans.sort((a, b) => (a.span as { start: number }).start - (b.span as { start: number }).start);
  const handle = await open(statePath, 'r');
  try {
    for (const { id, span } of spans) {
      const s = span as { start: number; end: number };
      const buf = Buffer.allocUnsafe(s.end - s.start);
      const { bytesRead } = await handle.read(buf, 0, buf.length, s.start);
      try {
        out.set(id, JSON.parse(buf.subarray(0, bytesRead).toString('utf8')) as Record<string, unknown>);
      } catch {
        block(`the state changed since it was read (${graph.index.address(id)})`);
      }
    }
  } finally {
    await handle.close();
  }
  return out;
}

interface EmitContext {
  readonly docs: Map<string, ModuleDoc>;
  readonly kept: Map<string, Kept>;
  readonly infos: Map<string, TemplateInfo>;
  readonly keepKeys: Map<string, Map<string, IndexKey[]>> | undefined;
  readonly literalIds: Map<string, Map<string, number[]>>;
  readonly objects: Map<number, Record<string, unknown>>;
  readonly types: ReadonlyMap<string, CtyType>;
  readonly graph: StateGraph;
  /** A per-instance value of a module under keyed calls: registered at the root, returns its reference in the module. */
  readonly forward: (path: readonly string[], nest: string) => string;
}

/** A per-instance value computed at the root and handed down the calls of `path`, each instance getting its slice. */
interface Forward {
  readonly path: readonly string[];
  readonly name: string;
  readonly nest: string;
}

/**
 * Wires the forwarded values into the emitted modules: a root local holding the whole nest, one module argument per
 * call on the path (indexed by `each.key` / `tostring(count.index)` where the call has instance keys) and one
 * variable per module below the root. O(forwards × depth).
 * NOTE: why not a local in the module indexed by its instance keys: Terraform evaluates a module's locals once per
 * module instance, so a local holding every instance's literals costs O(instances²) (measured by bench:apply: a
 * 1,900-instance sub-workspace at 80 customers planned 4.6x slower than the whole 2,001-instance workspace).
 */
function wireForwards(jsons: ReadonlyMap<string, Body>, docs: ReadonlyMap<string, ModuleDoc>, forwards: readonly Forward[]): void {
  const section = (json: Body, key: string): Body => (json[key] ??= {}) as Body;
  for (const f of forwards) {
    const root = jsons.get('') as Body;
    const locals = ((root['locals'] ??= [{}]) as Body[])[0] as Body;
    locals[f.name] = `\${${f.nest}}`;
    for (let i = 0; i < f.path.length; i++) {
      const at = pathKey(f.path.slice(0, i));
      const call = f.path[i] as string;
      const body = docs.get(at)?.calls.get(call);
      const key = body?.['for_each'] !== undefined ? 'each.key' : body?.['count'] !== undefined ? 'tostring(count.index)' : undefined;
      const held = `${i === 0 ? 'local' : 'var'}.${f.name}`;
      const block = ((section(jsons.get(at) as Body, 'module')[call]) as Body[])[0] as Body;
      // NOTE: try(): an instance of this call may hold only other kept modules, none of this value's instances.
      block[f.name] = key === undefined ? `\${${held}}` : `\${try(${held}[${key}], null)}`;
      section(jsons.get(pathKey(f.path.slice(0, i + 1))) as Body, 'variable')[f.name] = [{}];
    }
  }
}

/** Depths of the calls on a module's path that have instance keys (for_each or count). */
function keyedDepths(docs: Map<string, ModuleDoc>, path: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < path.length; i++) if (callKeyed(docs.get(pathKey(path.slice(0, i)))?.calls.get(path[i] as string))) out.push(i);
  return out;
}

/** A per-module-instance value: nested objects keyed by the instance keys of the keyed calls on the path. */
function perInstance(k: Kept, depths: readonly number[], valueOf: (inst: Instance) => string): string {
  if (k.instances.size === 0) return '{}';
  if (depths.length === 0) return valueOf(k.instances.get('') ?? ([...k.instances.values()][0] as Instance));
  const nest = (insts: Instance[], level: number): string => {
    if (level === depths.length) return valueOf(insts[0] as Instance);
    const groups = new Map<string, Instance[]>();
    for (const inst of insts) {
      const key = keyText((inst.steps[depths[level] as number] as ModuleStep).key as IndexKey);
      groups.set(key, [...(groups.get(key) ?? []), inst]);
    }
    return `{ ${[...groups.keys()].sort().map((g) => `${hclString(g)} = ${nest(groups.get(g) as Instance[], level + 1)}`).join(', ')} }`;
  };
  return nest([...k.instances.values()], 0);
}

function literalOf(ctx: EmitContext, ids: readonly number[], body: Body, what: string): string {
  const one = (id: number): string => {
    const r = ctx.graph.index.record(id);
    const obj = ctx.objects.get(id) ?? {};
    const attrs = (obj['attributes'] ?? {}) as Record<string, unknown>;
    const sensitive = (obj['sensitive_attributes'] ?? []) as ValuePath[];
    return hclLiteral(attrs, ctx.types.get(`${r.mode}:${r.type}`), sensitive);
  };
  if (body['for_each'] !== undefined) {
    const entries = ids.map((id) => [ctx.graph.index.record(id).indexKey as IndexKey, id] as const).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
    return `{ ${entries.map(([key, id]) => `${hclString(keyText(key))} = ${one(id)}`).join(', ')} }`;
  }
  if (body['count'] !== undefined) {
    const byIndex = ids.map((id) => [ctx.graph.index.record(id).indexKey as number, id] as const).sort((a, b) => a[0] - b[0]);
    if (byIndex.some(([key], i) => key !== i)) block(`${what} has count instances missing from the state`);
    return `[${byIndex.map(([, id]) => one(id)).join(', ')}]`;
  }
  if (ids.length !== 1) block(`${what} is read by the change but is not in the state (a dangling reference)`);
  return one(ids[0] as number);
}

/** The argument of `toset(ARG)` when `expr` is exactly one such call, else undefined. O(length). */
function tosetArgument(expr: string): string | undefined {
  const m = /^\s*toset\s*\(/.exec(expr);
  if (!m) return undefined;
  let depth = 0;
  let quote = false;
  const body = expr.trimEnd();
  for (let i = m[0].length - 1; i < body.length; i++) {
    const c = body[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i === body.length - 1 ? body.slice(m[0].length, i) : undefined;
    }
  }
  return undefined;
}

/**
 * A for_each reduced to the keys in `keep` (an expression of an object `{ KEY = true }`), addresses unchanged:
 * `{ for k, v in EXPR : k => v if lookup(KEEP, k, false) }` keeps map and set semantics (over a set, k == v).
 * Cost per evaluation O(|EXPR|). NOTE: Terraform evaluates a resource's for_each once per instance it plans, so a
 * list membership test (`contains(KEEP_LIST, k)`, O(|EXPR| × |KEEP|) each time) made a 1,900-device sub-workspace
 * plan 4.6x slower than the whole workspace; an object lookup is O(1).
 */
function filteredForEach(expr: string, keep: string): string {
  const list = tosetArgument(expr);
  // NOTE: `toset(LIST)` is not built: a set of 10,000 strings costs Terraform seconds (measured: 3.5 s for a for
  // expression over toset() of 10,000 customer keys). An object grouping (`...`) drops duplicates as toset does.
  if (list !== undefined) return `\${{ for k, v in { for x in (${list}) : tostring(x) => true... } : k => k if lookup(${keep}, k, false) }}`;
  return `\${{ for k, v in (${expr}) : k => v if lookup(${keep}, k, false) }}`;
}

/** The HCL object `{ "a" = true, ... }` of `keys`, sorted: the `keep` of filteredForEach. O(keys log keys). */
const keepObject = (keys: Iterable<string>): string => `{ ${[...new Set(keys)].sort().map((x) => `${hclString(x)} = true`).join(', ')} }`;

/**
 * The expression text of a (rewritten) for_each: `EXPR` of a `${EXPR}` template, or, for a literal object or list
 * in JSON syntax (HCL `for_each = { a = ... }`), a generated local holding it (JSON syntax cannot inline it).
 */
function forEachExpr(value: unknown, locals: Body, name: () => string): string {
  if (typeof value === 'string') return value.slice(2, -1);
  const n = name();
  locals[n] = value;
  return `local.${n}`;
}

function emitModule(cfg: string, k: Kept, ctx: EmitContext): Body {
  const depths = keyedDepths(ctx.docs, k.doc.path);
  const isRoot = cfg === '';
  const locals: Body = {};
  /** A value per module instance: a local where the module has one instance, else forwarded from the root. */
  const perInstanceRef = (name: string, valueOf: (inst: Instance) => string): string => {
    const nest = perInstance(k, depths, valueOf);
    if (depths.length > 0) return ctx.forward(k.doc.path, nest);
    locals[name] = `\${${nest}}`;
    return `local.${name}`;
  };
  // The literals, per module instance.
  const literalRefs = new Map<string, string>();
  for (const [bk, name] of [...k.literals].sort((a, b) => (a[1] < b[1] ? -1 : 1))) {
    const body = k.doc.resources.get(bk)?.body ?? {};
    const per = ctx.literalIds.get(bk) ?? new Map<string, number[]>();
    literalRefs.set(name, perInstanceRef(name, (inst) => literalOf(ctx, per.get(inst.path) ?? [], body, `${inst.path === '' ? '' : `${inst.path}.`}${bk}`)));
  }
  const rewrite = (value: unknown): unknown => {
    const holder = [clone(value)];
    const ts: { get: () => string; set: (s: string) => void }[] = [];
    templatesOf(holder, ts);
    for (const t of ts) {
      const info = ctx.infos.get(t.get());
      if (!info) continue;
      t.set(rewriteTemplate(t.get(), info.refs, (r) => ((r.kind === 'resource' || r.kind === 'data') && k.literals.has(r.name) ? literalRefs.get(k.literals.get(r.name) as string) : undefined)));
    }
    return holder[0];
  };
  const keepRef = (text: string): boolean => {
    const t = unwrap(text);
    const m = /^(data\.[^.[\s]+\.[^.[\s]+|module\.[^.[\s]+|[^.[\s]+\.[^.[\s]+)/.exec(t)?.[1];
    if (m === undefined) return false;
    if (m.startsWith('module.')) return k.calls.has(m.slice(7));
    return k.blocks.has(m);
  };
  const metaArgs = (body: Body): Body => {
    const b = body;
    if (Array.isArray(b['depends_on'])) b['depends_on'] = (b['depends_on'] as unknown[]).filter((d) => keepRef(String(d))).map(unwrap);
    if (typeof b['provider'] === 'string') b['provider'] = unwrap(b['provider']);
    if (b['providers'] && typeof b['providers'] === 'object') for (const [n, p] of Object.entries(b['providers'] as Body)) (b['providers'] as Body)[n] = unwrap(p);
    for (const lc of Array.isArray(b['lifecycle']) ? (b['lifecycle'] as Body[]) : b['lifecycle'] ? [b['lifecycle'] as Body] : []) {
      if (Array.isArray(lc['ignore_changes'])) lc['ignore_changes'] = (lc['ignore_changes'] as unknown[]).map(unwrap);
      else if (typeof lc['ignore_changes'] === 'string') lc['ignore_changes'] = unwrap(lc['ignore_changes']);
      if (Array.isArray(lc['replace_triggered_by'])) lc['replace_triggered_by'] = (lc['replace_triggered_by'] as unknown[]).filter((d) => keepRef(String(d))).map(unwrap);
    }
    return b;
  };
  for (const l of [...k.locals].sort()) locals[l] = rewrite(k.doc.locals.get(l));
  const resources: Body = {};
  const data: Body = {};
  let keepN = 0;
  for (const bk of [...k.blocks].sort()) {
    const res = k.doc.resources.get(bk);
    if (!res) continue;
    const body = metaArgs(rewrite(res.body) as Body);
    const keys = ctx.keepKeys?.get(bk);
    if (keys !== undefined) {
      const ref = perInstanceRef(`${GEN}keep${keepN++}`, (inst) => keepObject((keys.get(inst.path) ?? []).map(keyText)));
      const expr = forEachExpr(body['for_each'], locals, () => `${GEN}fe${keepN}`);
      // NOTE: the filtered collection is a local (evaluated once per module instance), the for_each a reference to
      // it: Terraform evaluates a resource's for_each again for every instance it plans (O(|EXPR|) each time).
      const each = `${GEN}each${keepN}`;
      locals[each] = filteredForEach(expr, ref);
      body['for_each'] = `\${local.${each}}`;
    }
    const target = res.mode === 'data' ? data : resources;
    const byType = (target[res.type] ?? {}) as Body;
    byType[res.name] = [body];
    target[res.type] = byType;
  }
  const modules: Body = {};
  for (const call of [...k.calls.keys()].sort()) {
    const body = k.doc.calls.get(call) ?? {};
    const child = ctx.kept.get(pathKey([...k.doc.path, call]));
    const out: Body = {};
    for (const a of ['source', 'version', 'count', 'depends_on', 'providers', 'for_each']) if (body[a] !== undefined) out[a] = rewrite(body[a]);
    metaArgs(out);
    for (const v of [...(child?.variables ?? [])].sort()) if (body[v] !== undefined) out[v] = rewrite(body[v]);
    const depth = k.doc.path.length;
    const use = k.calls.get(call);
    if (body['for_each'] !== undefined && use !== 'all' && child) {
      const info = ctx.infos.get(body['for_each'] as string);
      if (typeof body['for_each'] === 'string' && info?.inner === undefined) block(`module.${[...k.doc.path, call].join('.module.')} has a for_each that is not one expression`);
      const ref = perInstanceRef(`${GEN}keep${keepN++}`, (inst) => {
        const keys = [...child.instances.values()]
          .filter((c) => c.steps.length === depth + 1 && c.path === childPath(inst.path, call, (c.steps[depth] as ModuleStep).key))
          .map((c) => keyText((c.steps[depth] as ModuleStep).key as IndexKey));
        return keepObject(keys);
      });
      const expr = forEachExpr(rewrite(body['for_each']), locals, () => `${GEN}fe${keepN}`);
      out['for_each'] = filteredForEach(expr, ref);
    }
    modules[call] = [out];
  }
  const variables: Body = {};
  for (const v of [...k.variables].sort()) {
    const body = clone(k.doc.variables.get(v) ?? {});
    if (typeof body['type'] === 'string') body['type'] = unwrap(body['type']);
    variables[v] = [body];
  }
  const outputs: Body = {};
  for (const out of [...k.outputs].sort()) outputs[out] = [metaArgs(rewrite(k.doc.outputs.get(out)) as Body)];
  const providers: Body = {};
  for (const name of sortedKeys(k.doc.providers)) providers[name] = (k.doc.providers.get(name) ?? []).map((b) => rewrite(b));
  const terraform = k.doc.terraform.map((t) => {
    const c = clone(t);
    delete c['backend'];
    delete c['cloud'];
    return c;
  }).filter((t) => Object.keys(t).length > 0);
  const json: Body = { '//': `velocity: sub-workspace of ${isRoot ? 'the root module' : `module.${k.doc.path.join('.module.')}`} (generated; do not edit)` };
  if (terraform.length > 0) json['terraform'] = terraform;
  if (Object.keys(variables).length > 0) json['variable'] = variables;
  if (Object.keys(locals).length > 0) json['locals'] = [locals];
  if (Object.keys(providers).length > 0) json['provider'] = providers;
  if (Object.keys(modules).length > 0) json['module'] = modules;
  if (Object.keys(resources).length > 0) json['resource'] = resources;
  if (Object.keys(data).length > 0) json['data'] = data;
  if (Object.keys(outputs).length > 0) json['output'] = outputs;
  return json;
}

/** Root outputs that may change in this plan: they read (through locals, module outputs and inputs) a kept block or a root variable. */
async function keptRootOutputs(
  docs: Map<string, ModuleDoc>, kept: Map<string, Kept>,
  refsOf: (file: string, values: readonly unknown[]) => Promise<void>, refsIn: (v: unknown) => TemplateRef[],
): Promise<string[]> {
  const root = docs.get('') as ModuleDoc;
  const memo = new Map<string, boolean>();
  const affected = async (cfg: string, what: string, value: unknown): Promise<boolean> => {
    const id = `${cfg}|${what}`;
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, false); // NOTE: a reference cycle adds nothing new
    const doc = docs.get(cfg) as ModuleDoc;
    await refsOf(doc.files[0] ?? 'config', [value]);
    let hit = false;
    for (const r of refsIn(value)) {
      if (hit) break;
      if (r.kind === 'var') {
        if (cfg === '') hit = true;
        else {
          const parentCfg = pathKey(doc.path.slice(0, -1));
          const call = docs.get(parentCfg)?.calls.get(doc.path[doc.path.length - 1] as string);
          const arg = call?.[r.name];
          hit = arg !== undefined && (await affected(parentCfg, `input:${doc.path.join('.')}:${r.name}`, arg));
        }
      } else if (r.kind === 'local') hit = doc.locals.has(r.name) && (await affected(cfg, `local.${r.name}`, doc.locals.get(r.name)));
      else if (r.kind === 'module') {
        const childCfg = pathKey([...doc.path, r.name]);
        const child = docs.get(childCfg);
        const call = doc.calls.get(r.name);
        if (!child || !call) continue;
        // Which instances exist is part of the value: the call's for_each/count counts as read.
        hit = await affected(cfg, `meta:module.${r.name}`, callMeta(call));
        for (const out of r.output !== undefined ? [r.output] : [...child.outputs.keys()]) if (!hit && child.outputs.has(out)) hit = await affected(childCfg, `output.${out}`, child.outputs.get(out));
      } else if (r.kind === 'resource' || r.kind === 'data') hit = kept.get(cfg)?.blocks.has(r.name) === true;
      else if (r.kind === 'workspace' || r.kind === 'path') hit = false;
    }
    memo.set(id, hit);
    return hit;
  };
  const out: string[] = [];
  for (const name of sortedKeys(root.outputs)) if (await affected('', `output.${name}`, root.outputs.get(name))) out.push(name);
  return out;
}

/** `.terraform/modules/modules.json` for the emitted modules, and the providers and lock file of the real workspace. */
async function writeManifest(o: SynthesizeOptions, kept: Map<string, Kept>, dirs: ReadonlyMap<string, string>): Promise<void> {
  let original: { Key?: string; Source?: string; Version?: string; Dir?: string }[] = [];
  try {
    original = (JSON.parse(await readFile(join(o.workingDir, '.terraform', 'modules', 'modules.json'), 'utf8')) as { Modules?: typeof original }).Modules ?? [];
  } catch {
    // no manifest: local modules only, written from the configuration
  }
  const byKey = new Map(original.map((m) => [m.Key ?? '', m]));
  const modules = [...kept.values()].map((k) => {
    const key = k.doc.path.join('.');
    const call = key === '' ? undefined : kept.get(pathKey(k.doc.path.slice(0, -1)))?.doc.calls.get(k.doc.path[k.doc.path.length - 1] as string);
    const m = byKey.get(key);
    return { Key: key, Source: m?.Source ?? (typeof call?.['source'] === 'string' ? call['source'] : ''), ...(m?.Version ? { Version: m.Version } : {}), Dir: (dirs.get(key) ?? k.doc.dir) === '' ? '.' : (dirs.get(key) ?? k.doc.dir) };
  }).sort((a, b) => (a.Key < b.Key ? -1 : 1));
  await mkdir(join(o.outDir, '.terraform', 'modules'), { recursive: true });
  await writeFile(join(o.outDir, '.terraform', 'modules', 'modules.json'), JSON.stringify({ Modules: modules }));
  const providers = join(o.workingDir, '.terraform', 'providers');
  // NOTE: a symlink, not a copy: provider binaries are tens of MB and the sub-workspace only reads them.
  if (existsSync(providers)) await symlink(providers, join(o.outDir, '.terraform', 'providers'), 'dir');
  if (existsSync(join(o.workingDir, '.terraform.lock.hcl'))) await copyFile(join(o.workingDir, '.terraform.lock.hcl'), join(o.outDir, '.terraform.lock.hcl'));
}

/** Entries of a module directory that are the workspace's own, never linked: configuration, state, Terraform's data. */
const OWN = (name: string): boolean =>
  /\.(tf|tofu)(\.json)?$/.test(name) || name === '.terraform' || name === '.velocity' || name === '.terraform.lock.hcl' || /^terraform\.tfstate/.test(name);

/**
 * Links every other entry of the module's real directory (tfvars, files read with file() or by a data source) into
 * its sub-workspace directory, except directories that hold emitted modules (those are written, not linked).
 */
async function linkWorkspaceFiles(from: string, to: string, emitted: readonly string[], self: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(from)).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (OWN(name)) continue;
    const rel = self === '' ? name : `${self}/${name}`;
    if (emitted.some((d) => d === rel || d.startsWith(`${rel}/`))) continue;
    // NOTE: a symlink, not a copy: the sub-workspace reads exactly the workspace's bytes, at no copying cost.
    await symlink(join(from, name), join(to, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
