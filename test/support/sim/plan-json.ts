// Readers for `terraform plan -json` output (one JSON message per line), enough for the sim's tests and benchmarks.
// Guarantees: lines that are not JSON are ignored; results are sorted by address.

/** One planned change (a `planned_change` message; no-ops are not reported by terraform). */
export interface PlannedChange {
  address: string;
  action: string;
}

/** One `diagnostic` message. */
export interface PlanDiagnostic {
  severity: string;
  summary: string;
  detail: string;
}

/** Every `planned_change` in the output, sorted by address. O(lines). */
export function plannedChanges(stdout: string): PlannedChange[] {
  const out: PlannedChange[] = [];
  for (const m of messages(stdout)) {
    if (m.type !== 'planned_change') continue;
    const change = m.change as { resource?: { addr?: string }; action?: string } | undefined;
    out.push({ address: change?.resource?.addr ?? '?', action: change?.action ?? '?' });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Addresses in `refresh_complete` messages, sorted. O(lines). */
export function refreshedAddresses(stdout: string): string[] {
  const out: string[] = [];
  for (const m of messages(stdout)) {
    if (m.type !== 'refresh_complete') continue;
    const hook = m.hook as { resource?: { addr?: string } } | undefined;
    out.push(hook?.resource?.addr ?? '?');
  }
  return out.sort();
}

/** Every `diagnostic` message, in output order. O(lines). */
export function planDiagnostics(stdout: string): PlanDiagnostic[] {
  const out: PlanDiagnostic[] = [];
  for (const m of messages(stdout)) {
    if (m.type !== 'diagnostic') continue;
    const d = m.diagnostic as Partial<PlanDiagnostic> | undefined;
    out.push({ severity: d?.severity ?? '?', summary: d?.summary ?? '', detail: d?.detail ?? '' });
  }
  return out;
}

function* messages(stdout: string): Generator<Record<string, unknown>> {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch {
      // not a message
    }
  }
}
