// A producer's snapshot from its outputs: serial, lineage and one fingerprint per root output, in name order.
// Guarantees: the same outputs give the same snapshot whatever their order (the read time aside); no I/O, so the
// server (output rows) and the local reader (a scanned state) share it.

import type { ProducerSnapshot } from './deps-graph.js';
import { outputFingerprint } from './output-fingerprint.js';

/** The fingerprints of a state's outputs (`outputs` of a v4 state: name → {value, type, sensitive}). O(outputs). */
export function snapshotOf(meta: { readonly serial: number; readonly lineage: string; readonly outputs: Readonly<Record<string, unknown>> }, readAt: Date): ProducerSnapshot {
  const outputs: Record<string, string> = {};
  for (const name of Object.keys(meta.outputs).sort()) outputs[name] = outputFingerprint((meta.outputs[name] as { value?: unknown } | null)?.value);
  return { serial: meta.serial, lineage: meta.lineage, outputs, readAt: readAt.toISOString() };
}
