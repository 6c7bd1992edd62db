/**
 * JSON Canonicalization Scheme (RFC 8785, https://www.rfc-editor.org/rfc/rfc8785): the one
 * serialisation the evidence bundle hashes JSON values in, so that anyone can re-serialise a
 * report (or a HAR) with any JCS implementation and get the same SHA-256.
 *
 * - object members sorted by their names' UTF-16 code units (§ 3.2.3; JavaScript's default sort);
 * - no white space; strings and numbers exactly as ECMAScript's JSON.stringify writes them
 *   (§ 3.2.2.2, § 3.2.2.3 — finite numbers in their shortest round-trip form);
 * - `toJSON` honoured and values without a JSON form (undefined, functions) dropped from objects
 *   and written as null in arrays, as JSON.stringify does.
 *
 * Where RFC 8785 says "error" (NaN, Infinity, lone surrogates, cycles) this never throws — the
 * exports must not fail on odd stored data: non-finite numbers and cycles become null, a lone
 * surrogate is escaped as JSON.stringify does (\udxxx). tests/unit/export/jcs.test.ts checks the
 * output against the independent `canonicalize` package for every input where JCS is defined.
 */

function serialise(value: unknown, seen: Set<object>): string | undefined {
  let v = value;
  while (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    if (seen.has(v)) return 'null';
    v = (v as { toJSON: () => unknown }).toJSON();
  }
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol, bigint: no JSON form
  }
  const o = v as object;
  if (seen.has(o)) return 'null';
  seen.add(o);
  let out: string;
  if (Array.isArray(o)) {
    out = `[${o.map((x) => serialise(x, seen) ?? 'null').join(',')}]`;
  } else {
    const parts: string[] = [];
    for (const key of Object.keys(o).sort()) {
      const s = serialise((o as Record<string, unknown>)[key], seen);
      if (s !== undefined) parts.push(`${JSON.stringify(key)}:${s}`);
    }
    out = `{${parts.join(',')}}`;
  }
  seen.delete(o);
  return out;
}

/** The RFC 8785 form of a JSON value ('null' for a value without one). Never throws. */
export function canonicalJson(value: unknown): string {
  try {
    return serialise(value, new Set()) ?? 'null';
  } catch {
    return 'null';
  }
}
