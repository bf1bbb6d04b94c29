// The off-thread half of record-loads.mjs: a module.register resolve hook that appends each resolved ESM URL to
// the log file it was given. Guarantees: returns exactly what the next resolver returns.
import { appendFileSync } from 'node:fs';

let log;

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, `esm ${result.url}\n`);
  return result;
}
