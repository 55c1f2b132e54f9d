// Why: policy maps (views, users, sources) are plain objects, so `policy.views["constructor"]`
// is Object's own constructor, not undefined: a name from a request must be looked up as an own
// key, or a built-in property passes for a declared view or user.

/** The value declared under `key` in `record`, or undefined (inherited properties never count). */
export function declared<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
