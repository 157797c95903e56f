import { readHealth } from "~/health.server";

// Liveness and readiness in one: 200 when the database answers and is migrated, 503 "unreachable" otherwise.
export async function loader() {
  const health = await readHealth();
  return Response.json(health, { status: health.db === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
