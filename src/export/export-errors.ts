// Errors of the graph exporters: bad selections and options, each with a stable code.
// The CLI prints them as one line; library callers match on `code`.

import { VelocityError } from '../errors.js';

export type ExportErrorCode = 'EXPORT_UNKNOWN_NODE' | 'EXPORT_BAD_OPTION' | 'EXPORT_ASSET_MISSING' | 'EXPORT_WRITE_FAILED' | 'EXPORT_GRAPHVIZ_MISSING' | 'EXPORT_GRAPHVIZ_FAILED';

/** The export was asked for something the graph or the options cannot give. */
export class ExportInputError extends VelocityError {
  constructor(code: ExportErrorCode, message: string) {
    super(code, message);
  }
}

/** `--format svg|png` without Graphviz: `package` is what to install (the message says how). */
export class GraphvizMissingError extends ExportInputError {
  readonly package = 'graphviz';
  constructor(message: string) {
    super('EXPORT_GRAPHVIZ_MISSING', message);
  }
}
