// The configuration reference graph: one node per value a resource block can depend on (variables, module
// inputs, module call meta-arguments, locals, module outputs, terraform.workspace, path.cwd/root/module) plus one
// per resource, data and provider block. Edges run from a node to the nodes it references. Resource-to-resource
// references are left to the state graph; everything else is resolved here, across module boundaries.

import type { ConfigReader } from './config-reader.js';
import { joinRelative } from './config-reader.js';
import type { ConfigModule, ConfigTree } from './load-config.js';
import type { VariableValue } from './root-variables.js';
import { digestOf, type BlockSummary, type ExprSummary, type FileCall } from './summarize-config-file.js';

export type NodeKind = 'resource' | 'data' | 'variable' | 'input' | 'call' | 'local' | 'output' | 'workspace' | 'path' | 'provider';

export interface ConfigNode {
  /** `<module path>|<key>`: `customer|var.region`, `|local.x`, `|module.customer#arg.region`, `|module.customer#meta`. */
  readonly id: string;
  readonly kind: NodeKind;
  /** Digest of the node's own text (and, for root variables, of its effective value). */
  readonly digest: string;
  /** Ids of the value nodes this node reads, sorted. */
  readonly edges: readonly string[];
  /** Digests of the files it reads (path → content digest), sorted by path. */
  readonly files: readonly (readonly [string, string])[];
}

/** A resource or data block of the configuration. */
export interface ConfigBlock {
  /** Node id in the graph. */
  readonly id: string;
  /** Configuration address without instance keys: `module.customer.terraform_data.device`, `data.x.y`. */
  readonly address: string;
  readonly modulePath: readonly string[];
  readonly file: string;
}

/** Something whose effect on resources the graph cannot trace. */
export interface Unattributed {
  readonly what: string;
  readonly reason: string;
  /** 'full' when no scoped plan can be trusted (provider, backend), 'probe' when a probe plan settles it. */
  readonly fallback: 'probe' | 'full';
}

export interface Guard {
  readonly digest: string;
  readonly fallback: 'probe' | 'full';
  /** Node whose fingerprint replaces `digest` (provider blocks). */
  readonly node?: string;
  /** Provider blocks: whether the body sets anything besides `alias` (an empty block cannot change). */
  readonly configured?: boolean;
}

export interface ConfigGraph {
  readonly nodes: ReadonlyMap<string, ConfigNode>;
  /** Resource and data blocks, sorted by address. */
  readonly blocks: readonly ConfigBlock[];
  /**
   * Digests of the things the detector cannot attribute to blocks, keyed by a stable name: compared across runs.
   * A provider's guard names its node: its digest is then the node's fingerprint (everything it reads).
   */
  readonly guards: ReadonlyMap<string, Guard>;
  /** Things that make detection unsound whatever the ledger says (a computed file path, a module not found). */
  readonly unattributed: readonly Unattributed[];
  /** Root outputs: name → node id. */
  readonly rootOutputs: ReadonlyMap<string, string>;
  /**
   * Root module calls `for_each = var.X` whose value was set as an object in a variable file: call address →
   * instance key → digest of that instance's element. Such a call's fingerprints leave the value of `var.X`
   * out; which instances changed is read from these digests instead.
   */
  readonly keyedCalls: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /**
   * Blocks inside a narrowed call that read its element (reach an input that uses `each`): only their instances
   * change when an element changes; the call's other blocks are identical in every instance.
   */
  readonly elementDependent: ReadonlySet<string>;
}

export interface GraphInputs {
  readonly rootVariables: ReadonlyMap<string, VariableValue>;
  /** `terraform.workspace`. @default 'default' */
  readonly workspace?: string;
  /** `path.cwd`: the absolute directory terraform runs in. @default '.' */
  readonly cwd?: string;
}

const EMPTY: readonly string[] = Object.freeze([]);
const EMPTY_FILES: readonly (readonly [string, string])[] = Object.freeze([]);

/** `module.a.module.b.` prefix for a config path. */
export function modulePrefix(path: readonly string[]): string {
  return path.map((p) => `module.${p}.`).join('');
}

function where(m: ConfigModule, key: string): string {
  return `${modulePrefix(m.path)}${key}`;
}

/**
 * Builds the reference graph of a loaded configuration. O(blocks + references + referenced files' size).
 */
export async function buildConfigGraph(tree: ConfigTree, reader: ConfigReader, inputs: GraphInputs): Promise<ConfigGraph> {
  const nodes = new Map<string, ConfigNode>();
  const blocks: ConfigBlock[] = [];
  const guards = new Map<string, Guard>();
  const unattributed: Unattributed[] = tree.problems.map((p) => ({ what: p.where, reason: p.reason, fallback: 'probe' as const }));
  const rootOutputs = new Map<string, string>();
  const keyedCalls = new Map<string, Readonly<Record<string, string>>>();
  const elementNodes = new Set<string>(); // input nodes of narrowed calls that read `each`
  const fileCache = new Map<string, string>();
  const WORKSPACE = '|terraform.workspace';
  nodes.set(WORKSPACE, { id: WORKSPACE, kind: 'workspace', digest: digestOf(`ws\u0000${inputs.workspace ?? 'default'}`), edges: [], files: [] });
  // The values path.cwd, path.root and path.module evaluate to (path.module per module directory).
  const CWD = '|path.cwd';
  const ROOT = '|path.root';
  nodes.set(CWD, { id: CWD, kind: 'path', digest: digestOf(`cwd\u0000${inputs.cwd ?? '.'}`), edges: [], files: [] });
  nodes.set(ROOT, { id: ROOT, kind: 'path', digest: digestOf('root\u0000.'), edges: [], files: [] });
  for (const m of tree.modules.values()) {
    const id = `${m.path.join('.')}|path.module`;
    nodes.set(id, { id, kind: 'path', digest: digestOf(`module\u0000${m.dir === '' ? '.' : m.dir}`), edges: [], files: [] });
  }

  const fileDigests = async (m: ConfigModule, what: string, calls: readonly FileCall[]): Promise<[string, string][]> => {
    const out: [string, string][] = [];
    for (const c of calls) {
      if (c.path === undefined) {
        unattributed.push({ what, reason: `${c.fn}() reads a path computed at plan time`, fallback: 'probe' });
        continue;
      }
      const rel = c.path
        .replace(/^\$\{path\.module\}/, m.dir === '' ? '.' : m.dir)
        .replace(/^\$\{path\.(root|cwd)\}/, '.');
      if (rel.includes('${')) {
        unattributed.push({ what, reason: `${c.fn}() path ${JSON.stringify(c.path)} is not static`, fallback: 'probe' });
        continue;
      }
      const path = rel.startsWith('/') ? rel : joinRelative(rel);
      let d = fileCache.get(path);
      if (d === undefined) {
        const bytes = await reader.readBytes(path);
        d = bytes === undefined ? 'missing' : digestOf(Buffer.concat([Buffer.from('file\u0000'), bytes]));
        fileCache.set(path, d);
      }
      out.push([`${c.fn}:${path}`, d]);
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };

  const byPath = new Map<string, ConfigModule>(tree.modules);
  const blockIndex = new Map<string, Map<string, BlockSummary>>();
  for (const [k, m] of byPath) blockIndex.set(k, new Map(m.blocks.map((b) => [b.key, b])));

  // NOTE: per-instance narrowing, only where it is provable: a root call iterating exactly over a root variable
  // set from a file as an object. Each instance's inputs are then a function of its key, its element and the
  // call's other references, so the element digests decide which instances changed. References to the call
  // from outside (module.M.out) still read the whole variable: a new instance changes what they see.
  const narrowed = new Map<string, { variable: string; varDigest: string; keys: Readonly<Record<string, string>> }>();
  for (const b of tree.modules.get('')?.blocks ?? []) {
    if (b.kind !== 'module') continue;
    const variable = /^\$\{var\.([\p{L}_][\p{L}\p{N}_-]*)\}$/u.exec(b.forEach ?? '')?.[1];
    const keys = variable === undefined ? undefined : inputs.rootVariables.get(variable)?.keys;
    const varBlock = variable === undefined ? undefined : blockIndex.get('')?.get(`var.${variable}`);
    if (variable !== undefined && keys !== undefined && varBlock !== undefined)
      narrowed.set(`|${b.key}`, { variable, varDigest: varBlock.digest, keys });
  }

  // Resolves references made inside module `m` to node ids.
  // NOTE: memoized by (module, reference list): thousands of blocks share the same few references, and at
  // 100,000 blocks the allocation of one set per block is what dominates.
  const resolved = new Map<string, string[]>();
  const resolve = (m: ConfigModule, refs: readonly string[], extra: readonly string[]): readonly string[] => {
    if (refs.length === 0 && extra.length === 0) return EMPTY;
    const here = m.path.join('.');
    const memoKey = `${here}\u0000${refs.join(',')}\u0000${extra.join(',')}`;
    const hit = resolved.get(memoKey);
    if (hit !== undefined) return hit;
    const own = blockIndex.get(here) as Map<string, BlockSummary>;
    const out = new Set<string>();
    for (const r of refs) {
      if (r === 'terraform.workspace') out.add(WORKSPACE);
      else if (r === 'path.cwd') out.add(CWD);
      else if (r === 'path.root') out.add(ROOT);
      else if (r === 'path.module') out.add(`${here}|path.module`);
      else if (r.startsWith('var.') || r.startsWith('local.')) {
        if (own.has(r)) out.add(`${here}|${r}`);
      } else if (r.startsWith('module.')) {
        const [, call, output] = r.split('.') as [string, string, string | undefined];
        if (!own.has(`module.${call}`)) continue;
        out.add(`${here}|module.${call}#meta`);
        const n = narrowed.get(`${here}|module.${call}`);
        if (n !== undefined) out.add(`|var.${n.variable}`);
        const childKey = [...m.path, call].join('.');
        const child = blockIndex.get(childKey);
        if (child === undefined) {
          // The module is not loaded (not installed): its outputs may read any of its inputs.
          for (const arg of Object.keys(own.get(`module.${call}`)?.args ?? {})) out.add(`${here}|module.${call}#arg.${arg}`);
          continue;
        }
        if (output !== undefined && child.has(`output.${output}`)) out.add(`${childKey}|output.${output}`);
        else if (output === undefined) for (const k of child.keys()) if (k.startsWith('output.')) out.add(`${childKey}|${k}`);
      }
      // data.*, resources: not value nodes (the state graph has them), except for provider blocks (below).
    }
    for (const e of extra) out.add(e);
    const list = [...out].sort();
    resolved.set(memoKey, list);
    return list;
  };

  const contextEdge = (m: ConfigModule): string[] =>
    m.path.length === 0 ? [] : [`${m.path.slice(0, -1).join('.')}|module.${m.path[m.path.length - 1]}#meta`];

  const addNode = async (m: ConfigModule, id: string, kind: NodeKind, e: ExprSummary, extraEdges: readonly string[], digestSalt = ''): Promise<void> => {
    const files = e.files.length === 0 ? EMPTY_FILES : await fileDigests(m, where(m, id.slice(id.indexOf('|') + 1)), e.files);
    const edges = resolve(m, e.refs, extraEdges);
    nodes.set(id, { id, kind, digest: digestSalt === '' ? e.digest : digestOf(`${e.digest}\u0000${digestSalt}`), edges, files });
  };

  for (const m of [...byPath.values()].sort((a, b) => (a.path.join('.') < b.path.join('.') ? -1 : 1))) {
    const here = m.path.join('.');
    const parentKey = m.path.slice(0, -1).join('.');
    const callBlock = m.path.length === 0 ? undefined : blockIndex.get(parentKey)?.get(`module.${m.path[m.path.length - 1]}`);
    const context = contextEdge(m);
    const prefix = modulePrefix(m.path);
    for (const b of m.blocks) {
      const id = `${here}|${b.key}`;
      switch (b.kind) {
        case 'resource':
        case 'data':
          // NOTE: the synchronous path for the common case (no file read): 100,000 awaits are measurable.
          if (b.files.length === 0) nodes.set(id, { id, kind: b.kind, digest: b.digest, edges: resolve(m, b.refs, context), files: EMPTY_FILES });
          else await addNode(m, id, b.kind, b, context);
          blocks.push({ id, address: prefix + b.key, modulePath: m.path, file: b.file });
          break;
        case 'variable': {
          const name = b.key.slice(4);
          if (m.path.length === 0) {
            const v = inputs.rootVariables.get(name);
            await addNode(m, id, 'variable', b, [], v === undefined ? 'default' : `set\u0000${v.digest}`);
          } else {
            const arg = callBlock?.args?.[name];
            await addNode(m, id, 'variable', b, arg === undefined ? [] : [`${parentKey}|module.${m.path[m.path.length - 1]}#arg.${name}`], arg === undefined ? 'default' : 'arg');
          }
          break;
        }
        case 'local':
          await addNode(m, id, 'local', b, []);
          break;
        case 'output':
          await addNode(m, id, 'output', b, []);
          if (m.path.length === 0) rootOutputs.set(b.key.slice(7), id);
          break;
        case 'module': {
          let meta = b.meta as ExprSummary;
          let salt = `${b.source ?? ''}\u0000${b.version ?? ''}`;
          const iterated = narrowed.get(id);
          if (iterated !== undefined) {
            meta = { ...meta, refs: meta.refs.filter((r) => r !== `var.${iterated.variable}`) };
            salt += `\u0000narrowed\u0000${iterated.varDigest}`;
            keyedCalls.set(where(m, b.key), iterated.keys);
          }
          await addNode(m, `${id}#meta`, 'call', meta, contextEdge(m), salt);
          // NOTE: a call's for_each/count decides which module instances exist; a change there creates or destroys
          // instances no block fingerprint names (a new key of a set). Unless the call is narrowed (its keys are
          // compared one by one), such a change is settled by the probe, which sees every instance it creates.
          if (iterated === undefined) guards.set(`call:${where(m, b.key)}`, { digest: '', fallback: 'probe', node: `${id}#meta` });
          for (const [arg, e] of Object.entries(b.args ?? {})) {
            await addNode(m, `${id}#arg.${arg}`, 'input', e, [`${id}#meta`]);
            if (narrowed.has(id) && e.refs.includes('each')) elementNodes.add(`${id}#arg.${arg}`);
          }
          guards.set(`source:${where(m, b.key)}`, { digest: digestOf(`${b.source ?? ''}\u0000${b.version ?? ''}`), fallback: 'probe' });
          break;
        }
        case 'provider': {
          // A provider's configuration reaches every resource it manages: its fingerprint follows everything it
          // reads (variables, locals, module outputs, data sources and other blocks it names) like a resource's.
          const named = [...b.refs.filter((r) => r.startsWith('data.')), ...(b.blocks ?? [])]
            .filter((k) => blockIndex.get(here)?.has(k) === true)
            .map((k) => `${here}|${k}`);
          await addNode(m, id, 'provider', b, [...context, ...named]);
          guards.set(`provider:${where(m, b.key)}`, { digest: b.digest, fallback: 'full', node: id, configured: b.configured !== false });
          break;
        }
        case 'terraform':
          guards.set(`${b.kind}:${where(m, b.key)}`, { digest: b.digest, fallback: 'full' });
          break;
        default:
          guards.set(`${b.kind}:${where(m, b.key)}`, { digest: b.digest, fallback: 'probe' });
      }
    }
  }
  blocks.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  // Which blocks of narrowed calls reach an element-reading input: one memoized walk over value nodes.
  const elementDependent = new Set<string>();
  if (elementNodes.size > 0) {
    const reaches = new Map<string, boolean>();
    const reach = (id: string): boolean => {
      const known = reaches.get(id);
      if (known !== undefined) return known;
      reaches.set(id, false); // NOTE: a cycle (over-approximated references) adds nothing new to the walk
      let r = elementNodes.has(id);
      const stack = [id];
      const seen = new Set<string>([id]);
      while (!r && stack.length > 0) {
        for (const e of nodes.get(stack.pop() as string)?.edges ?? []) {
          if (seen.has(e)) continue;
          seen.add(e);
          if (elementNodes.has(e) || reaches.get(e) === true) {
            r = true;
            break;
          }
          stack.push(e);
        }
      }
      reaches.set(id, r);
      return r;
    };
    for (const b of blocks) if (b.modulePath.length > 0 && narrowed.has(`|module.${b.modulePath[0]}`) && reach(b.id)) elementDependent.add(b.address);
  }
  return { nodes, blocks, guards, unattributed, rootOutputs, keyedCalls, elementDependent };
}
