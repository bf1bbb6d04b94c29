// A child process that contends for a local state's lock the way Terraform's statemgr.Filesystem does: fcntl
// F_SETLK on the state file; when refused, the lock info file must parse with an ID, or Terraform fails at once
// instead of waiting. Loops for MS milliseconds and prints {got, good, bad} as JSON.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [path, ms] = [process.argv[2], Number(process.argv[3])];
const ext = createRequire(import.meta.url)('fs-ext');
const setlk = (fd, type) => new Promise((ok, fail) => ext.fcntl(fd, 'setlk', type, (e) => (e ? fail(e) : ok())));
const F_WRLCK = process.platform === 'darwin' ? 3 : 1;
const F_UNLCK = 2;
const counts = { got: 0, good: 0, bad: 0 };
const fd = openSync(path, 'r+');
for (const end = Date.now() + ms; Date.now() < end; ) {
  try {
    await setlk(fd, F_WRLCK);
    counts.got++;
    await setlk(fd, F_UNLCK);
  } catch {
    let id;
    try {
      id = JSON.parse(readFileSync(join(dirname(path), '.terraform.tfstate.lock.info'), 'utf8')).ID;
    } catch {
      id = undefined;
    }
    if (typeof id === 'string' && id !== '') counts.good++;
    else counts.bad++;
  }
}
closeSync(fd);
process.stdout.write(`${JSON.stringify(counts)}\n`);
