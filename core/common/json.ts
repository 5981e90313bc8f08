/** A JSON value as a type: what canonical JSON parses back to (the contract's `z.json()` has this shape). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
