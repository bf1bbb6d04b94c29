// The `http` backend block that points Terraform at one state of a velocity server, and the `backend.tf` file that
// holds it; the same state as a `terraform_remote_state` backend (`deps sync`). Guarantees: the same server and
// guid give byte-identical text, so writing it twice changes nothing; never a password (TF_HTTP_PASSWORD gives it).

import type { RemoteBackend } from '../deps/sync-dependencies.js';

/** `<server>/tfstate/<guid>`: the state's address on the server. O(1). */
function stateAddress(server: string, guid: string): string {
  return `${server.replace(/\/+$/, '')}/tfstate/${guid}`;
}

/** State `guid` on `server` as a remote state reads it: http, its address, username velocity. O(1). */
export function serverStateBackend(server: string, guid: string): RemoteBackend {
  return { backend: 'http', config: { address: stateAddress(server, guid), username: 'velocity' } };
}

/** The block for state `guid` on `server` (`http://host:port`). O(1). */
export function backendBlock(server: string, guid: string): string {
  const base = stateAddress(server, guid);
  return [
    'terraform {',
    '  # A velocity state backend. With a server --token-file, give the token as TF_HTTP_PASSWORD.',
    '  backend "http" {',
    `    address        = "${base}"`,
    `    lock_address   = "${base}/lock"`,
    `    unlock_address = "${base}/unlock"`,
    '    lock_method    = "LOCK"',
    '    unlock_method  = "UNLOCK"',
    '    username       = "velocity"',
    '  }',
    '}',
    '',
  ].join('\n');
}
