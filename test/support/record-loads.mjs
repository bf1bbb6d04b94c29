// Preload for child processes (`node --import`): records every module the process loads, ESM (a resolve hook,
// registered off-thread) and CommonJS (Module._load), appending resolved URLs/paths to $VELOCITY_LOAD_LOG.
// Guarantees: records only, never changes resolution; one line per load request.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.VELOCITY_LOAD_LOG;
if (log) {
  register(new URL('./record-loads-hooks.mjs', import.meta.url), import.meta.url, { data: { log } });
  const load = Module._load;
  Module._load = function recordedLoad(request, parent, isMain) {
    try {
      appendFileSync(log, `cjs ${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      appendFileSync(log, `cjs ${request}\n`);
    }
    return load.apply(this, [request, parent, isMain]);
  };
}
