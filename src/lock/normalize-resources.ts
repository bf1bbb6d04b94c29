// Validates and canonicalises the address list of a lock request: every entry a resource instance, a resource (all
// its instances), a module instance or a module call, printed exactly as Terraform prints it, sorted by code unit,
// duplicates dropped. Sorting is also what makes row-level acquisition deadlock-free: every client takes rows in the
// same order. Which addresses overlap which is lock-path.ts's business.

import { formatTarget, parseTarget } from '../state/address.js';
import { VelocityError } from '../errors.js';
import { LockRequestError } from './lock-errors.js';

/** Canonical, sorted, unique addresses. Throws LockRequestError (LOCK_NO_RESOURCES, LOCK_BAD_RESOURCE). O(n log n + total length). */
export function normalizeResources(resources: readonly string[]): string[] {
  if (!Array.isArray(resources) || resources.length === 0) {
    throw new LockRequestError('LOCK_NO_RESOURCES', 'a lock needs at least one resource address');
  }
  const out = new Set<string>();
  for (const r of resources) {
    if (typeof r !== 'string' || r.length === 0) {
      throw new LockRequestError('LOCK_BAD_RESOURCE', `not a resource or module address: ${JSON.stringify(r)}`);
    }
    try {
      out.add(formatTarget(parseTarget(r)));
    } catch (error) {
      if (error instanceof VelocityError) {
        throw new LockRequestError('LOCK_BAD_RESOURCE', `not a resource or module address: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
