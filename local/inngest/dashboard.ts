import type { ApiDeps } from "./http-api";
import type { RunRow, StepDetail } from "./types";
import { findRun } from "./runs";

// The executor's dashboard: one server-rendered page (functions, events, runs, and a run's step timeline when
// `?run=<id>` is given) whose buttons call the JSON control API. It refreshes itself while anything is running.

const escape = (value: unknown) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
const time = (ms: number | null) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "—");
const pretty = (value: unknown) => escape(JSON.stringify(value, null, 2));

export async function renderDashboard(deps: ApiDeps, runId?: string | null): Promise<string> {
  const { db, registry, engine, clock } = deps;
  const crons = await engine.nextCronFires();
  const runs = await db.query<RunRow>("select * from runs order by started_at desc limit 50");
  const events = await db.query<{ internal_id: string; name: string; payload: unknown; received_at: number }>(
    "select internal_id, name, payload, received_at from events order by received_at desc limit 30",
  );
  const selected = runId ? await renderRun(deps, runId) : "";
  const functions = registry
    .all()
    .map((fn) => {
      const triggers = fn.config.triggers
        .map((t) => escape(t.event ?? t.cron) + (t.expression ? ` if ${escape(t.expression)}` : ""))
        .join("<br>");
      const next = crons
        .filter((c) => c.functionId === fn.config.id)
        .map((c) => time(c.nextFireAt))
        .join("<br>");
      const flow = ["concurrency", "idempotency", "rateLimit", "throttle", "debounce", "batchEvents", "cancel"]
        .filter((key) => (fn.config as unknown as Record<string, unknown>)[key] !== undefined)
        .map((key) => `${key}: ${escape(JSON.stringify((fn.config as unknown as Record<string, unknown>)[key]))}`)
        .join("<br>");
      const action = fn.config.triggers.some((t) => t.cron) ? "Fire cron now" : "Invoke";
      return `<tr><td>${escape(fn.config.id)}</td><td>${triggers}</td><td>${flow || "—"}</td><td>${next || "—"}</td>
        <td><button data-post="/api/functions/${encodeURIComponent(fn.config.id)}/invoke">${action}</button></td></tr>`;
    })
    .join("");
  const runRows = runs
    .map(
      (run) => `<tr><td><a href="/?run=${run.run_id}">${run.run_id}</a></td><td>${escape(run.function_id)}</td>
        <td class="s-${run.status}">${run.status}</td><td>${time(run.started_at)}</td><td>${time(run.ended_at)}</td></tr>`,
    )
    .join("");
  const eventRows = events
    .map(
      (e) => `<tr><td>${escape(e.name)}</td><td>${time(e.received_at)}</td>
        <td><details><summary>payload</summary><pre>${pretty(e.payload)}</pre></details></td>
        <td><button data-replay='${escape(JSON.stringify(e.payload))}'>Replay</button></td></tr>`,
    )
    .join("");
  const live = runs.some((r) => r.status === "Running");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stepwise · local Inngest executor</title>${live ? '<meta http-equiv="refresh" content="3">' : ""}
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1b1d23}header{background:#1b1d23;color:#fff;padding:.6rem 1rem}
main{padding:1rem;display:grid;gap:1rem;max-width:80rem}section{background:#fff;border:1px solid #dfe2e8;border-radius:6px;padding:.5rem 1rem;overflow-x:auto}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{margin:0;max-height:18rem;overflow:auto;background:#f7f7f9;padding:.4rem}.s-Completed{color:#2b8a3e}.s-Failed{color:#c92a2a}.s-Running{color:#3b5bdb}.s-Cancelled{color:#777}
textarea{width:100%;font-family:monospace}button{cursor:pointer}
</style></head><body><header><strong>Local Inngest executor</strong> · clock ${time(clock.now())} UTC
 · <button data-post="/api/apps/sync">Sync apps</button> <button data-advance="1h">+1 h</button> <button data-advance="24h">+24 h</button></header><main>
${selected}
<section><h2>Functions</h2><table><tr><th>ID</th><th>Triggers</th><th>Flow control</th><th>Next cron</th><th></th></tr>${functions || '<tr><td colspan="5">No app synced yet.</td></tr>'}</table></section>
<section><h2>Runs</h2><table><tr><th>Run</th><th>Function</th><th>Status</th><th>Started</th><th>Ended</th></tr>${runRows || '<tr><td colspan="5">No runs yet.</td></tr>'}</table></section>
<section><h2>Events</h2><form id="send"><label for="event-json">Send an event</label>
<textarea id="event-json" rows="4">{"name": "test/hello", "data": {}}</textarea><button>Send</button></form>
<table><tr><th>Name</th><th>Received</th><th>Payload</th><th></th></tr>${eventRows || '<tr><td colspan="4">No events yet.</td></tr>'}</table></section>
</main><script>
const post = (url, body) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) }).then(() => location.reload());
document.addEventListener("click", (e) => {
  const b = e.target.closest("button"); if (!b) return;
  if (b.dataset.post) post(b.dataset.post);
  if (b.dataset.advance) post("/api/clock/advance", { duration: b.dataset.advance });
  if (b.dataset.replay) { const ev = JSON.parse(b.dataset.replay); delete ev.id; post("/api/events", ev); }
});
document.getElementById("send").addEventListener("submit", (e) => { e.preventDefault(); post("/api/events", JSON.parse(document.getElementById("event-json").value)); });
</script></body></html>`;
}

async function renderRun(deps: ApiDeps, runId: string): Promise<string> {
  const run = await findRun(deps.db, runId);
  if (!run) return `<section><h2>Run ${escape(runId)}</h2><p>No such run.</p></section>`;
  const steps = await deps.db.query<StepDetail>("select * from steps where run_id = $1 order by seq", [runId]);
  const rows = steps
    .map((s) => {
      const duration = s.started_at && s.ended_at ? `${Math.round(s.ended_at - s.started_at)} ms` : "waiting";
      const skip = s.ended_at
        ? ""
        : `<button data-post="/api/runs/${run.run_id}/steps/${s.step_id}/skip">Skip wait</button>`;
      return `<tr><td>${escape(s.display_name ?? s.name ?? s.step_id)}</td><td>${escape(s.op)}</td><td>${s.attempts}</td><td>${time(s.started_at)}</td><td>${duration}</td>
        <td>${s.ended_at ? `<pre>${pretty(s.state)}</pre>` : skip}${s.error ? `<pre>${pretty(s.error)}</pre>` : ""}</td></tr>`;
    })
    .join("");
  const buttons =
    run.status === "Running"
      ? `<button data-post="/api/runs/${run.run_id}/cancel">Cancel</button>`
      : `<button data-post="/api/runs/${run.run_id}/rerun">Rerun</button>`;
  return `<section><h2>Run ${run.run_id} · ${escape(run.function_id)} · <span class="s-${run.status}">${run.status}</span> ${buttons}</h2>
<details><summary>Triggering event</summary><pre>${pretty(run.event)}</pre></details>
<table><tr><th>Step</th><th>Op</th><th>Attempts</th><th>Started</th><th>Took</th><th>Output / error</th></tr>${rows || '<tr><td colspan="6">No steps yet.</td></tr>'}</table>
${run.status === "Completed" ? `<h3>Output</h3><pre>${pretty(run.output)}</pre>` : ""}${run.status === "Failed" ? `<h3>Error</h3><pre>${pretty(run.error)}</pre>` : ""}</section>`;
}
