// `deps discover` on a velocity server: a consumer's `terraform_remote_state` locates its producer when its backend
// is `http` at `<server>/tfstate/<guid>` of a state of that server. Guarantees: never invents a producer: another
// backend, another server or a guid the server does not have is a warning naming it.

import { cannotLocate, type LocateProducer } from '../deps/discover-dependencies.js';
import { serverStateAddress } from './server-state-address.js';

/** Same origin, whatever the case of the scheme and host or a trailing slash. */
export function sameServer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/**
 * The locator for the states of `server`; `logicIdOf` maps each of its guids (lower case) to its logic id. O(1) per
 * data source.
 */
export function locateServerProducer(server: string, logicIdOf: ReadonlyMap<string, string>): LocateProducer {
  return (body, { state, label }) => {
    const at = body.backend === 'http' ? serverStateAddress((body.config as Record<string, unknown> | undefined)?.['address']) : undefined;
    if (at === undefined) return { warning: cannotLocate(state, label, body) };
    if (!sameServer(at.origin, server)) return { warning: `${state}: data.terraform_remote_state.${label} reads a state on another server (${at.origin}); declare its edges there` };
    const producer = logicIdOf.get(at.guid);
    if (producer === undefined) return { warning: `${state}: data.terraform_remote_state.${label} reads state ${at.guid}, which ${server} does not have` };
    return { producer };
  };
}
