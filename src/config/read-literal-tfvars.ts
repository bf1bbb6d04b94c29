// Reads a variable file (`.tfvars`) that holds only literal values (`NAME = "x"`, numbers, bools, null, lists and
// objects of those, comments) without the WebAssembly HCL parser, which costs seconds to start and ~0.5 MB/s.
// Guarantees: the value is exactly what parseHcl returns for the same text (a property test checks it); anything
// outside that subset (templates, references, function calls, heredocs, long numbers, duplicates) gives undefined.

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** Thrown inside the reader to give up; never escapes it. */
class NotLiteral extends Error {}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;
// NOTE: numbers with more than 15 significant digits are left to the parser: it rounds through a 512-bit float,
// which Number() might not match in the last digit.
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;

/**
 * The attributes of `text` as parseHcl would return them, or undefined when the file is not literal-only (the
 * caller then parses it properly; syntax errors are reported by the parser, never here). O(text).
 */
export function readLiteralTfvars(text: string): Record<string, Value> | undefined {
  let i = 0;
  const fail = (): never => {
    throw new NotLiteral();
  };

  /** Skips spaces, tabs, comments and (when `newlines`) line breaks; a `#`/`//` comment stops before its newline. */
  function skip(newlines: boolean): void {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) i++;
      else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail();
        // A block comment spanning lines ends the attribute's line, which this reader does not model.
        if (!newlines && text.slice(i, end).includes('\n')) fail();
        i = end + 2;
      } else return;
    }
  }

  function ident(): string {
    const start = i;
    if (!IDENT_START.test(text[i] ?? '')) fail();
    while (i < text.length && IDENT.test(text[i] as string)) i++;
    return text.slice(start, i);
  }

  function quoted(): string {
    i++; // opening quote
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n' || c === '\r') fail();
      if (c === '"') {
        i++;
        // The parser normalises string literals to NFC; a text that normalisation would change is left to it.
        if (out.normalize('NFC') !== out) fail();
        // A `${` or `%{` spelled with escapes (`$\u007b`) is literal text, which the parser's JSON form escapes again.
        if (out.includes('${') || out.includes('%{')) fail();
        return out;
      }
      // Templates and their escapes ($${, %%{) are kept by the parser in forms this reader does not reproduce.
      if ((c === '$' || c === '%') && (text[i + 1] === '{' || (text[i + 1] === c && text[i + 2] === '{'))) fail();
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' || e === 'U') {
          const hex = text.slice(i + 2, i + (e === 'u' ? 6 : 10));
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== (e === 'u' ? 4 : 8)) fail();
          const cp = Number.parseInt(hex, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail();
          out += String.fromCodePoint(cp);
          i += 2 + hex.length;
        } else fail();
      } else {
        out += c;
        i++;
      }
    }
  }

  function value(): Value {
    skip(true);
    const c = text[i];
    if (c === '"') return quoted();
    if (c === '[') {
      i++;
      const items: Value[] = [];
      for (;;) {
        skip(true);
        if (text[i] === ']') {
          i++;
          return items;
        }
        items.push(value());
        skip(true);
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail();
      }
    }
    if (c === '{') {
      i++;
      const obj: Record<string, Value> = {};
      for (;;) {
        skip(true);
        if (text[i] === '}') {
          i++;
          return obj;
        }
        const key = text[i] === '"' ? quoted() : ident();
        if (Object.hasOwn(obj, key) || key === '__proto__') fail();
        skip(false);
        if (text[i] !== '=' && text[i] !== ':') fail();
        i++;
        obj[key] = value();
        skip(false);
        // Items end with a comma or a newline (or the closing brace).
        if (text[i] === ',') i++;
        else if (text[i] !== '\n' && text[i] !== '\r' && text[i] !== '}') fail();
      }
    }
    const m = NUMBER.exec(text.slice(i, i + 64));
    if (m) {
      const digits = m[0].replace(/[eE].*$/, '').replace(/[-.]/g, '').replace(/^0+/, '');
      if (digits.length > 15) fail();
      i += m[0].length;
      if (IDENT.test(text[i] ?? '') || text[i] === '.') fail();
      const n = Number(m[0]);
      if (n === 0 && m[0].startsWith('-')) fail(); // -0: left to the parser
      return n;
    }
    const word = IDENT_START.test(c ?? '') ? ident() : fail();
    // A bare word other than these is a reference, a function call or a heredoc's marker: not a literal.
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    return fail();
  }

  try {
    const out: Record<string, Value> = {};
    for (;;) {
      skip(true);
      if (i >= text.length) return out;
      const name = ident();
      if (Object.hasOwn(out, name) || name === '__proto__') fail();
      skip(false);
      if (text[i] !== '=') fail();
      i++;
      out[name] = value();
      // After the value only a comment, then a newline or the end of the file (HCL: "Missing newline after argument").
      skip(false);
      if (i < text.length && text[i] !== '\n' && text[i] !== '\r') fail();
    }
  } catch (error) {
    if (error instanceof NotLiteral) return undefined;
    throw error;
  }
}
