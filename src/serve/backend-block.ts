// The `http` backend block that points Terraform at one state of a velocity server, and the `backend.tf` file that
// holds it. Guarantees: the same server and guid give byte-identical text, so writing it twice changes nothing.

/** The block for state `guid` on `server` (`http://host:port`). O(1). */
export function backendBlock(server: string, guid: string): string {
  const base = `${server.replace(/\/+$/, '')}/tfstate/${guid}`;
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
