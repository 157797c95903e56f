import type { RunRow } from "./types";

/** A run as Inngest's REST API v1 returns it. */
export function runForApi(run: RunRow) {
  return {
    run_id: run.run_id,
    function_id: run.function_id,
    status: run.status,
    output: run.status === "Completed" ? run.output : run.status === "Failed" ? run.error : null,
    event_id: run.event_id,
    run_started_at: new Date(run.started_at).toISOString(),
    ended_at: run.ended_at ? new Date(run.ended_at).toISOString() : null,
  };
}
