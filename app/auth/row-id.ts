const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a value from a URL or form can be the id of a row (every table's key is a UUID). Anything else names no
 * row, so a route answers it as it answers someone else's id, with a 404, instead of letting Postgres reject it.
 */
export function isRowId(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
