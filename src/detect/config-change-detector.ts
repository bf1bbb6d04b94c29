// Change detection from configuration: fingerprint every block now, compare with the ledger recorded at the
// last apply (or with the configuration at a git ref), and map the changed, new and removed blocks to state
// instances. Sound first: whatever it cannot attribute (providers, backend, moved/import/removed/check blocks,
// computed file paths, module source changes, a stale or missing ledger) is reported with a fallback.

import type { LoadedState } from '../state/instance-record.js';
import { readAtGitRef } from './changed-since.js';
import { fingerprintConfig, type FingerprintOptions } from './fingerprint-config.js';
import { instancesByBlock } from './instances-by-block.js';
import { instancesByCallKey, type BlockInstance } from './instances-by-call-key.js';
import { formatKey } from '../state/address.js';
import { defaultLedgerPath, readLedger, writeLedger, type LedgerEntry } from './ledger.js';
import { strongerFallback, type DetectFallback } from './detect-fallback.js';

export interface ConfigDetectOptions extends Omit<FingerprintOptions, 'reader'> {
  readonly state: LoadedState;
  /** Ledger file. @default `<workingDir>/.velocity/ledger.json` */
  readonly ledgerPath?: string;
  /** Compare with the configuration at this git ref instead of the ledger (CI without a ledger). */
  readonly changedSince?: string;
}

/** What a detector found. `changed` is what the engine scopes the plan to unless `fallback` is set. */
export interface ConfigDetectResult {
  /** Instance addresses in the state whose block changed, or that are orphans (block removed). Sorted. */
  readonly changed: string[];
  /** Block addresses whose fingerprint differs, or that are new. Sorted. */
  readonly changedBlocks: string[];
  /** Changed blocks with no instance in the state yet (to be created). Sorted. */
  readonly newBlocks: string[];
  /** Module instances to be created (new keys of a narrowed `for_each` call), e.g. `module.customer["new"]`. Sorted. */
  readonly newInstances: string[];
  /** Blocks with instances in the state (or in the baseline) but none in the configuration. Sorted. */
  readonly removedBlocks: string[];
  /** Root outputs whose fingerprint differs or that are new or gone. Sorted. */
  readonly changedOutputs: string[];
  /** Set when `changed` must not be trusted: run the probe (`plan -refresh=false`) or a full plan instead. */
  readonly fallback?: DetectFallback;
  /** Human-readable list of what could not be attributed to blocks. Sorted. */
  readonly unattributed: string[];
  /** What the configuration was compared with. */
  readonly basis: 'ledger' | 'git';
  readonly tookMs: number;
  readonly stats: { readonly modules: number; readonly files: number; readonly blocks: number };
}

function isSorted(xs: readonly string[]): boolean {
  for (let i = 1; i < xs.length; i++) if ((xs[i - 1] as string) >= (xs[i] as string)) return false;
  return true;
}

/** Keys whose value differs or is new, and keys gone. O(n) merge when both sides are sorted (the usual case). */
function sortedDiff<T>(now: ReadonlyMap<string, T>, before: Readonly<Record<string, T>>): { changed: string[]; removed: string[] } {
  // NOTE: a merge of two sorted key lists instead of 100,000 lookups: the keys of `now` are built by concatenation,
  // and looking such strings up as properties of a dictionary-mode object costs several times more. Fingerprints
  // are written in address order, so both sides are sorted unless someone edited the ledger by hand.
  const nowKeys = [...now.keys()];
  const beforeKeys = Object.keys(before);
  if (!isSorted(nowKeys)) nowKeys.sort();
  if (!isSorted(beforeKeys)) beforeKeys.sort();
  const changed: string[] = [];
  const removed: string[] = [];
  let j = 0;
  for (const k of nowKeys) {
    while (j < beforeKeys.length && (beforeKeys[j] as string) < k) removed.push(beforeKeys[j++] as string);
    const bk = beforeKeys[j];
    if (bk === k) {
      if (before[bk] !== now.get(k)) changed.push(k);
      j++;
    } else changed.push(k);
  }
  while (j < beforeKeys.length) removed.push(beforeKeys[j++] as string);
  return { changed, removed };
}

function entryOf(fp: Awaited<ReturnType<typeof fingerprintConfig>>, lineage: string, serial: number): LedgerEntry {
  return {
    lineage,
    serial,
    recordedAt: new Date().toISOString(),
    blocks: Object.fromEntries(fp.blocks),
    guards: Object.fromEntries([...fp.guards].map(([k, g]) => [k, g.digest])),
    outputs: Object.fromEntries(fp.outputs),
    keys: Object.fromEntries(fp.graph.keyedCalls),
  };
}

/**
 * What a ledger entry leaves out because it is not applied yet (a probe found it changed): such blocks, outputs and
 * narrowed-call keys are absent from the entry, so a detection against it reports them changed.
 */
export interface LedgerOmissions {
  /** Block addresses (`module.customer.terraform_data.device`); a module prefix `module.m.` leaves out every block under it. */
  readonly blocks: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
  /** Narrowed call address → instance keys. */
  readonly keys: ReadonlyMap<string, ReadonlySet<string>>;
  /** Guards (`call:module.m`: a call whose for_each may have created the changes) left out. */
  readonly guards: ReadonlySet<string>;
}

/** `entry` without `omit`'s blocks, outputs and keys. O(entry). */
function omitFrom(entry: LedgerEntry, omit: LedgerOmissions | undefined): LedgerEntry {
  if (omit === undefined) return entry;
  const prefixes = [...omit.blocks].filter((b) => b.endsWith('.'));
  const blocks = Object.fromEntries(Object.entries(entry.blocks).filter(([b]) => !omit.blocks.has(b) && !prefixes.some((p) => b.startsWith(p))));
  const outputs = Object.fromEntries(Object.entries(entry.outputs).filter(([o]) => !omit.outputs.has(o)));
  const keys = Object.fromEntries(Object.entries(entry.keys).map(([call, ks]) => [call, Object.fromEntries(Object.entries(ks).filter(([k]) => !omit.keys.get(call)?.has(k)))]));
  const guards = Object.fromEntries(Object.entries(entry.guards).filter(([g]) => !omit.guards.has(g)));
  return { ...entry, blocks, outputs, keys, guards };
}

/** The configuration-based detector; pluggable next to the probe detector. */
export class ConfigChangeDetector {
  readonly name = 'config';

  /**
   * Detects the changed set. O(configuration text) on a cold parse cache, O(files + blocks + state instances)
   * when only a few files changed since the last run.
   * @throws ConfigParseError, VariableInputError, LedgerFormatError, GitRefError
   */
  async detect(options: ConfigDetectOptions): Promise<ConfigDetectResult> {
    const started = performance.now();
    const { state } = options;
    const now = await fingerprintConfig(options);
    let baseline: LedgerEntry | undefined;
    let fallback: DetectFallback | undefined;
    // Set when there is nothing trusted to compare provider configurations with.
    let noBaseline: string | undefined;
    const basis = options.changedSince === undefined ? 'ledger' : 'git';
    if (options.changedSince !== undefined) {
      const ref = options.changedSince;
      const snap = await readAtGitRef(options.workingDir, ref);
      if (snap.workingDirAtRef === undefined) {
        noBaseline = `the working directory has no configuration at ${ref} (added since, or moved in a way git does not show as a rename)`;
        fallback = { to: 'probe', reason: noBaseline };
      } else {
        const before = await fingerprintConfig({ ...options, reader: snap.reader, pathCwd: snap.workingDirAtRef, unknownVarFiles: snap.unknownAtRef });
        baseline = entryOf(before, state.meta.lineage, state.meta.serial);
        for (const u of before.graph.unattributed)
          if (!now.graph.unattributed.some((x) => x.what === u.what && x.reason === u.reason))
            fallback ??= { to: u.fallback, reason: `at ${ref}: ${u.what}: ${u.reason}` };
      }
    } else {
      const ledgerPath = options.ledgerPath ?? defaultLedgerPath(options.workingDir);
      baseline = await readLedger(ledgerPath, state.meta.lineage);
      if (baseline === undefined)
        noBaseline = `no ledger recorded for state lineage ${state.meta.lineage} (run \`velocity ledger record\` after apply)`;
      else if (baseline.serial !== state.meta.serial)
        noBaseline = `ledger is stale: recorded at state serial ${baseline.serial}, state is at serial ${state.meta.serial} (applied without velocity?)`;
      if (noBaseline !== undefined) fallback = { to: 'probe', reason: noBaseline };
    }
    // The probe (`plan -refresh=false`) plans with the provider configuration of now: a provider change since the
    // last apply is invisible to it. With no baseline, a configured provider may have changed: plan in full.
    if (noBaseline !== undefined) {
      const configured = [...now.guards].filter(([k, g]) => k.startsWith('provider:') && g.configured === true).map(([k]) => k.slice('provider:'.length));
      if (configured.length > 0)
        fallback = {
          to: 'full',
          reason: `${noBaseline}; ${configured[0]}${configured.length > 1 ? ` (and ${configured.length - 1} more provider block(s))` : ''} may have changed since the last apply and the probe cannot see provider configuration changes`,
        };
    }

    const unattributed = now.graph.unattributed.map((u) => `${u.what}: ${u.reason}`);
    for (const u of now.graph.unattributed) {
      const f: DetectFallback = { to: u.fallback, reason: `${u.what}: ${u.reason}` };
      fallback = fallback === undefined ? f : strongerFallback(fallback, f);
    }

    const byBlock = instancesByBlock(state);
    const blocks = sortedDiff(now.blocks, baseline?.blocks ?? {});
    const outputs = sortedDiff(now.outputs, baseline?.outputs ?? {});
    if (baseline !== undefined) {
      const guardsNow = new Map([...now.guards].map(([k, g]) => [k, g.digest]));
      const g = sortedDiff(guardsNow, baseline.guards);
      for (const k of [...g.changed, ...g.removed]) {
        const to = now.guards.get(k)?.fallback ?? (/^(provider|terraform):/.test(k) ? 'full' : 'probe');
        unattributed.push(`${k}: changed`);
        const why = k.startsWith('provider:')
          ? `${k} changed (its configuration or a value it reads: the probe cannot see provider changes)`
          : k.startsWith('call:')
          ? `the meta-arguments (for_each, count, depends_on, providers) of ${k.slice('call:'.length)} changed: the probe finds the module instances this creates or destroys`
          : `${k} changed`;
        fallback = strongerFallback(fallback, { to, reason: why });
      }
    }
    // Orphans: blocks the state has instances of that the configuration no longer declares (ledger or not).
    const removed = new Set(blocks.removed);
    for (const b of byBlock.keys()) if (!now.blocks.has(b)) removed.add(b);
    const changed = new Set<string>();
    for (const b of [...blocks.changed, ...removed]) for (const a of byBlock.get(b) ?? []) changed.add(a);
    // Narrowed for_each calls: instances under a key whose element changed or disappeared; new keys to create.
    const newInstances: string[] = [];
    const byCallKey = now.graph.keyedCalls.size > 0 ? instancesByCallKey(state) : new Map<string, Map<string, BlockInstance[]>>();
    for (const [call, keysNow] of now.graph.keyedCalls) {
      const keysThen = baseline?.keys?.[call];
      if (keysThen === undefined) continue; // not narrowed then: the call's fingerprints differ, all its blocks changed
      const inState = byCallKey.get(call) ?? new Map<string, BlockInstance[]>();
      for (const k of new Set([...Object.keys(keysNow), ...Object.keys(keysThen), ...inState.keys()])) {
        const el = keysNow[k];
        const before = keysThen[k];
        if (el !== undefined && el === before) continue; // element unchanged
        // An element that changed touches only the blocks reading it; a removed (or unknown) one, every instance.
        const onlyReaders = el !== undefined && before !== undefined;
        for (const i of inState.get(k) ?? []) if (!onlyReaders || now.graph.elementDependent.has(i.block)) changed.add(i.address);
        if (el !== undefined && !inState.has(k)) newInstances.push(`${call}${formatKey(k)}`);
      }
    }

    return {
      changed: [...changed].sort(),
      changedBlocks: blocks.changed,
      newBlocks: blocks.changed.filter((b) => !byBlock.has(b)),
      newInstances: newInstances.sort(),
      removedBlocks: [...removed].sort(),
      changedOutputs: [...outputs.changed, ...outputs.removed].sort(),
      ...(fallback === undefined ? {} : { fallback }),
      unattributed: unattributed.sort(),
      basis,
      tookMs: performance.now() - started,
      stats: now.stats,
    };
  }

  /**
   * Records the current configuration's fingerprints for `state` (call after a successful apply). `warnings` are
   * what the configuration detector cannot attribute (a module directory not found, a remote module not
   * installed...): detections against this entry fall back for them. O(configuration text).
   * @throws ConfigParseError, VariableInputError, LedgerFormatError (unless `replaceUnreadable`)
   */
  async record(
    options: Omit<ConfigDetectOptions, 'changedSince'> & { readonly replaceUnreadable?: boolean; readonly omit?: LedgerOmissions },
  ): Promise<{ path: string; entry: LedgerEntry; warnings: { what: string; reason: string }[] }> {
    const fp = await fingerprintConfig(options);
    const entry = omitFrom(entryOf(fp, options.state.meta.lineage, options.state.meta.serial), options.omit);
    const path = options.ledgerPath ?? defaultLedgerPath(options.workingDir);
    await writeLedger(path, entry, { replaceUnreadable: options.replaceUnreadable === true });
    const warnings = fp.graph.unattributed
      .map((u) => ({ what: u.what, reason: u.reason }))
      .sort((a, b) => (a.what < b.what ? -1 : a.what > b.what ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
    return { path, entry, warnings };
  }
}
