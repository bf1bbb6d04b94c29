// Reads what the binary says about a plan: `show -json` plan documents (→ the changed set) and `plan -json` stream
// lines and human output lines (→ refresh events, diagnostics). Guarantees: a change is never dropped (anything
// that is not a pure no-op counts as changed); unknown message types are ignored, never an error.

import { BinaryOutputError } from './tf-errors.js';

/** Something in the plan that velocity cannot scope safely; the plan runs in full and says why. */
export interface UnscopableChange {
  readonly address: string;
  readonly reason: string;
}

export interface PlanChanges {
  /** Instance addresses with an action other than no-op (create, update, replace, delete, read...), sorted, unique. */
  readonly changed: string[];
  /** The subset of `changed` whose only action is create (not in the state yet). */
  readonly creates: string[];
  /** moved / import / forget changes: velocity runs full for these. */
  readonly unscopable: UnscopableChange[];
  /** Number of resource_changes entries read (no-op included). */
  readonly total: number;
  /** Root outputs whose planned action is not a no-op, sorted. */
  readonly outputs: string[];
}

interface ResourceChangeJson {
  address?: unknown;
  previous_address?: unknown;
  deposed?: unknown;
  change?: { actions?: unknown; importing?: unknown };
  action_reason?: unknown;
}

/**
 * Extracts the changed set from a `show -json` plan document (format_version 1.x). O(resource_changes).
 * @throws BinaryOutputError when the document is not a plan.
 */
export function parsePlanChanges(doc: unknown): PlanChanges {
  if (typeof doc !== 'object' || doc === null || !('format_version' in doc)) {
    throw new BinaryOutputError('`show -json` did not return a plan document (no format_version)');
  }
  const rc = (doc as { resource_changes?: unknown }).resource_changes ?? [];
  if (!Array.isArray(rc)) throw new BinaryOutputError('`show -json` plan has a resource_changes that is not a list');
  const changed = new Set<string>();
  const creates = new Set<string>();
  const unscopable: UnscopableChange[] = [];
  for (const raw of rc as ResourceChangeJson[]) {
    const address = typeof raw?.address === 'string' ? raw.address : undefined;
    if (address === undefined) throw new BinaryOutputError('`show -json` plan has a resource change without an address');
    const actions = Array.isArray(raw.change?.actions) ? (raw.change.actions as unknown[]).map(String) : [];
    if (typeof raw.previous_address === 'string' && raw.previous_address !== address) {
      unscopable.push({ address, reason: `moved from ${raw.previous_address} (a \`moved\` block)` });
    }
    if (raw.change?.importing !== undefined && raw.change.importing !== null) {
      unscopable.push({ address, reason: 'imported (an `import` block)' });
    }
    if (actions.includes('forget')) unscopable.push({ address, reason: 'forgotten (a `removed` block)' });
    const noop = actions.length === 0 || actions.every((a) => a === 'no-op');
    if (noop) continue;
    changed.add(address);
    if (actions.length === 1 && actions[0] === 'create' && raw.deposed === undefined) creates.add(address);
  }
  const oc = (doc as { output_changes?: unknown }).output_changes;
  const outputs: string[] = [];
  if (oc !== null && typeof oc === 'object')
    for (const [name, c] of Object.entries(oc as Record<string, { actions?: unknown }>)) {
      const actions = Array.isArray(c?.actions) ? (c.actions as unknown[]).map(String) : [];
      if (!actions.every((a) => a === 'no-op')) outputs.push(name);
    }
  return {
    outputs: outputs.sort(),
    changed: [...changed].sort(),
    creates: [...creates].sort(),
    unscopable: unscopable.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    total: rc.length,
  };
}

/** One line of `plan -json` (or of human output) as far as velocity cares. */
export type PlanEvent =
  | { readonly type: 'refresh_start' | 'refresh_complete'; readonly address: string }
  /** A data source read during plan (`apply_start` with action read, or `Reading...`). */
  | { readonly type: 'data_read'; readonly address: string }
  | { readonly type: 'diagnostic'; readonly severity: string; readonly summary: string }
  | { readonly type: 'planned_change'; readonly address: string; readonly action: string };

const TARGETING_WARNING = 'Resource targeting is in effect';

/** Parses one `plan -json` line. Returns undefined for lines and message types velocity ignores. O(line). */
export function parsePlanJsonLine(line: string): PlanEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  let msg: { type?: unknown; hook?: { resource?: { addr?: unknown }; action?: unknown }; diagnostic?: { severity?: unknown; summary?: unknown }; change?: { resource?: { addr?: unknown }; action?: unknown } };
  try {
    msg = JSON.parse(line) as typeof msg;
  } catch {
    return undefined;
  }
  const hookAddr = typeof msg.hook?.resource?.addr === 'string' ? msg.hook.resource.addr : undefined;
  switch (msg.type) {
    case 'refresh_start':
    case 'refresh_complete':
      return hookAddr === undefined ? undefined : { type: msg.type, address: hookAddr };
    case 'apply_start':
      return hookAddr !== undefined && msg.hook?.action === 'read' ? { type: 'data_read', address: hookAddr } : undefined;
    case 'diagnostic':
      return { type: 'diagnostic', severity: String(msg.diagnostic?.severity ?? ''), summary: String(msg.diagnostic?.summary ?? '') };
    case 'planned_change': {
      const addr = msg.change?.resource?.addr;
      return typeof addr === 'string' ? { type: 'planned_change', address: addr, action: String(msg.change?.action ?? '') } : undefined;
    }
    default:
      return undefined;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Parses one line of human `plan` output: refresh and data-read lines, and the targeting warning. O(line). */
export function parsePlanHumanLine(line: string): PlanEvent | undefined {
  const text = line.includes('\u001b') ? line.replace(ANSI, '') : line;
  const refresh = /^(.+?): Refreshing state\.\.\.(?: \[.*\])?$/.exec(text);
  if (refresh?.[1]) return { type: 'refresh_start', address: refresh[1] };
  const read = /^(data\..+?|.+?\.data\..+?): Reading\.\.\.$/.exec(text);
  if (read?.[1]) return { type: 'data_read', address: read[1] };
  if (/(^|[│╷ ])\s*Warning: Resource targeting is in effect\s*$/.test(text) || text.trim() === `Warning: ${TARGETING_WARNING}`) {
    return { type: 'diagnostic', severity: 'warning', summary: TARGETING_WARNING };
  }
  return undefined;
}

/** True for the diagnostic Terraform prints whenever -target is used. */
export function isTargetingWarning(e: PlanEvent): boolean {
  return e.type === 'diagnostic' && e.summary === TARGETING_WARNING;
}

/** Parses a `show -json` document from text. @throws BinaryOutputError */
export function parsePlanChangesText(text: string): PlanChanges {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new BinaryOutputError('`show -json` output is not JSON', { cause });
  }
  return parsePlanChanges(doc);
}
