// Remembers, across runs, what the synthesizer derives from configuration text: each file's JSON syntax (keyed by
// the file's content digest) and each template's references (keyed by the template's digest). A warm run then
// never loads the WebAssembly HCL parser. Guarantees: a key names exact bytes; an unreadable cache is empty; an
// unwritable one is skipped (never an error).

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TemplateInfo } from './template-refs.js';

/** Bumped when the stored shapes change: old entries are ignored, never misread. */
const VERSION = 1;

const digest = (text: string): string => createHash('sha256').update(`${VERSION}\u0000${text}`).digest('hex');

export class SynthCache {
  readonly #dir: string | undefined;
  #templates: Map<string, TemplateInfo> | undefined;
  #dirty = false;

  /** @param dir directory of the cache; undefined keeps nothing between runs. */
  constructor(dir: string | undefined) {
    this.#dir = dir;
  }

  /** The JSON syntax of a file with this text, computing it with `parse` on a miss. O(text) for the digest. */
  async document(file: string, text: string, parse: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const path = this.#dir === undefined ? undefined : join(this.#dir, `doc-${digest(`${file}\u0000${text}`)}.json`);
    if (path !== undefined) {
      try {
        return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      } catch {
        // a miss
      }
    }
    const doc = await parse();
    if (path !== undefined) await this.#write(path, JSON.stringify(doc));
    return doc;
  }

  /** Cached template infos for `templates` (undefined where missing). */
  async templates(templates: readonly string[]): Promise<(TemplateInfo | undefined)[]> {
    const known = await this.#loadTemplates();
    return templates.map((t) => known.get(digest(t)));
  }

  rememberTemplate(template: string, info: TemplateInfo): void {
    this.#templates?.set(digest(template), info);
    this.#dirty = true;
  }

  /** Writes the template infos if any were added. */
  async save(): Promise<void> {
    if (!this.#dirty || this.#dir === undefined || !this.#templates) return;
    this.#dirty = false;
    await this.#write(join(this.#dir, 'templates.json'), JSON.stringify(Object.fromEntries(this.#templates)));
  }

  async #loadTemplates(): Promise<Map<string, TemplateInfo>> {
    if (this.#templates) return this.#templates;
    this.#templates = new Map();
    if (this.#dir !== undefined) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(await readFile(join(this.#dir, 'templates.json'), 'utf8')) as Record<string, TemplateInfo>)) this.#templates.set(k, v);
      } catch {
        // empty
      }
    }
    return this.#templates;
  }

  async #write(path: string, text: string): Promise<void> {
    if (this.#dir === undefined) return;
    try {
      await mkdir(this.#dir, { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, path);
    } catch {
      // NOTE: a cache is an optimization: an unwritable directory costs a re-parse next time, nothing else.
    }
  }
}
