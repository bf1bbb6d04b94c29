// Reads a tfstate from a path, `-` (stdin) or bytes into a LoadedState. Guarantees: missing or unreadable sources
// raise SourceReadError; every malformed state raises the same typed errors as parseState.

import { readFile } from 'node:fs/promises';
import { SourceReadError } from '../errors.js';
import type { LoadedState } from './instance-record.js';
import { parseState } from './parse-state.js';

export interface LoadStateOptions {
  /** Stream read when the source is `-`. @default process.stdin */
  stdin?: NodeJS.ReadableStream;
  /** Name used in error messages. @default the path, `stdin`, or `state` */
  sourceName?: string;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Loads a state. O(bytes). @throws SourceReadError, StateParseError, UnsupportedStateVersionError */
export async function loadState(source: string | Uint8Array, options: LoadStateOptions = {}): Promise<LoadedState> {
  if (typeof source !== 'string') return parseState(source, options.sourceName ?? 'state');
  if (source === '-') {
    const name = options.sourceName ?? 'stdin';
    let bytes: Buffer;
    try {
      bytes = await readAll(options.stdin ?? process.stdin);
    } catch (error) {
      throw new SourceReadError(name, error);
    }
    return parseState(bytes, name);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(source);
  } catch (error) {
    throw new SourceReadError(source, error);
  }
  return parseState(bytes, options.sourceName ?? source);
}
