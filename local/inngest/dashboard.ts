import type { Clock } from "./clock";
import type { Engine } from "./engine";
import type { FunctionRegistry } from "./registry";
import type { Database } from "./store/database";
import { parseDurationMs } from "./durations";
import { listEvents } from "./store/events";
import { findRun, listRuns } from "./store/runs";
import { stepsOfRun } from "./store/steps";

export interface DashboardDeps {
  db: Database;
  clock: Clock;
  engine: Engine;
  registry: FunctionRegistry;
}

// The executor's dashboard: one server-rendered page (functions, events, runs, and a run's step timeline when
// `?run=<id>` is given) whose buttons call the JSON control API. The runs table follows its filters (status,
// function, time range, text) and refreshes itself every two seconds; a run's page reloads while it runs.

const escape = (value: unknown) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
const time = (ms: number | null) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "—");
const pretty = (value: unknown) => escape(JSON.stringify(value, null, 2));

const RUN_STATUSES = ["Running", "Completed", "Failed", "Cancelled"];
const TIME_RANGES: Array<[string, string]> = [
  ["15m", "Last 15 minutes"],
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
];

/** The runs table's filters, as the dashboard's query string carries them. */
function runFilters(params: URLSearchParams, now: number) {
  const range = params.get("since");
  const known = TIME_RANGES.some(([value]) => value === range);
  return {
    status: RUN_STATUSES.includes(params.get("status") ?? "") ? params.get("status") : null,
    functionId: params.get("function") || null,
    since: known ? now - parseDurationMs(range!) : null,
    text: params.get("q")?.trim() || null,
    limit: 50,
  };
}

/** The rows of the runs table for the filters given (also served alone, for the live refresh). */
export async function renderRunRows(deps: DashboardDeps, params: URLSearchParams): Promise<string> {
  const runs = await listRuns(deps.db, runFilters(params, deps.clock.now()));
  const rows = runs
    .map(
      (run) => `<tr><td><a href="/?run=${run.run_id}">${run.run_id}</a></td><td>${escape(run.function_id)}</td>
        <td class="s-${run.status}">${run.status}</td><td>${time(run.started_at)}</td><td>${time(run.ended_at)}</td></tr>`,
    )
    .join("");
  return rows || '<tr><td colspan="5">No runs match these filters.</td></tr>';
}

export async function renderDashboard(deps: DashboardDeps, params: URLSearchParams): Promise<string> {
  const { db, registry, engine, clock } = deps;
  const runId = params.get("run");
  const crons = await engine.nextCronFires();
  const runRows = await renderRunRows(deps, params);
  const events = await listEvents(db, { limit: 30 });
  const selectedRun = runId ? await findRun(db, runId) : undefined;
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
      const id = encodeURIComponent(fn.config.id);
      const action = fn.config.triggers.some((t) => t.cron)
        ? `<button data-post="/api/functions/${id}/invoke">Fire cron now</button>`
        : `<details><summary>Invoke…</summary><form class="invoke" data-function="${id}">
            <label for="invoke-${id}">Event data (JSON) for ${escape(fn.config.id)}</label>
            <textarea id="invoke-${id}" name="data" rows="3">{}</textarea>
            <p role="alert" class="error"></p><button>Invoke</button></form></details>`;
      return `<tr><td>${escape(fn.config.id)}</td><td>${triggers}</td><td>${flow || "—"}</td><td>${next || "—"}</td>
        <td>${action}</td></tr>`;
    })
    .join("");
  const option = (value: string, label: string, current: string | null) =>
    `<option value="${escape(value)}"${value === (current ?? "") ? " selected" : ""}>${escape(label)}</option>`;
  const filters = `<form id="run-filters" role="search" method="get" action="/">
<label>Status <select name="status">${option("", "Any", params.get("status"))}${RUN_STATUSES.map((s) => option(s, s, params.get("status"))).join("")}</select></label>
<label>Function <select name="function">${option("", "Any", params.get("function"))}${registry
    .all()
    .map((fn) => option(fn.config.id, fn.config.id, params.get("function")))
    .join("")}</select></label>
<label>Started <select name="since">${option("", "Any time", params.get("since"))}${TIME_RANGES.map(([v, l]) => option(v, l, params.get("since"))).join("")}</select></label>
<label>Search <input type="search" name="q" value="${escape(params.get("q"))}" placeholder="run id, event data, output, error"></label>
<button>Filter</button></form>`;
  const eventRows = events
    .map(
      (e) => `<tr><td>${escape(e.name)}</td><td>${time(e.received_at)}</td>
        <td><details><summary>payload</summary><pre>${pretty(e.payload)}</pre></details></td>
        <td><button data-replay='${escape(JSON.stringify(e.payload))}'>Replay</button></td></tr>`,
    )
    .join("");
  const live = selectedRun?.status === "Running";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stepwise · local Inngest executor</title>${live ? '<meta http-equiv="refresh" content="3">' : ""}
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1b1d23}header{background:#1b1d23;color:#fff;padding:.6rem 1rem}
main{padding:1rem;display:grid;gap:1rem;max-width:80rem}section{background:#fff;border:1px solid #dfe2e8;border-radius:6px;padding:.5rem 1rem;overflow-x:auto}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{margin:0;max-height:18rem;overflow:auto;background:#f7f7f9;padding:.4rem}.s-Completed{color:#2b8a3e}.s-Failed{color:#c92a2a}.s-Running{color:#3b5bdb}.s-Cancelled{color:#777}
textarea{width:100%;font-family:monospace}button{cursor:pointer}.error{color:#c92a2a;margin:.2rem 0}.error:empty{display:none}
#run-filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin-bottom:.5rem}
</style></head><body><header><strong>Local Inngest executor</strong> · clock ${time(clock.now())} UTC
 · <button data-post="/api/apps/sync">Sync apps</button> <button data-advance="1h">+1 h</button> <button data-advance="24h">+24 h</button></header><main>
${selected}
<section><h2>Functions</h2><table><tr><th>ID</th><th>Triggers</th><th>Flow control</th><th>Next cron</th><th></th></tr>${functions || '<tr><td colspan="5">No app synced yet.</td></tr>'}</table></section>
<section aria-labelledby="runs-heading"><h2 id="runs-heading">Runs</h2>${filters}<table><thead><tr><th>Run</th><th>Function</th><th>Status</th><th>Started</th><th>Ended</th></tr></thead><tbody id="run-rows" aria-live="polite">${runRows}</tbody></table></section>
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
for (const form of document.querySelectorAll("form.invoke")) form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const error = form.querySelector(".error");
  let data;
  try { data = JSON.parse(form.elements.data.value); } catch (err) { error.textContent = "The event data is not JSON: " + err.message; return; }
  if (!data || typeof data !== "object" || Array.isArray(data)) { error.textContent = "The event data must be a JSON object, such as {}."; return; }
  const answer = await fetch("/api/functions/" + form.dataset.function + "/invoke", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ data }) }).then((r) => r.json());
  if (answer.data && answer.data.run_id) location.href = "/?run=" + answer.data.run_id;
  else error.textContent = answer.error || "The run was not started (its flow control skipped it).";
});
// The runs table follows its filters as they change and refreshes every 2 s, without reloading the page.
const filters = document.getElementById("run-filters");
const filterQuery = () => { const q = new URLSearchParams(new FormData(filters)); for (const [k, v] of [...q]) if (!v) q.delete(k); return q; };
const refreshRuns = async () => {
  const query = filterQuery();
  const html = await fetch("/dashboard/runs?" + query).then((r) => r.text()).catch(() => null);
  if (html !== null) document.getElementById("run-rows").innerHTML = html;
};
const applyFilters = () => {
  const query = filterQuery();
  const run = new URLSearchParams(location.search).get("run");
  if (run) query.set("run", run);
  history.replaceState(null, "", "/" + (query.size ? "?" + query : ""));
  refreshRuns();
};
filters.addEventListener("change", applyFilters);
filters.addEventListener("input", applyFilters);
filters.addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
setInterval(refreshRuns, 2000);
</script></body></html>`;
}

async function renderRun(deps: DashboardDeps, runId: string): Promise<string> {
  const run = await findRun(deps.db, runId);
  if (!run) return `<section><h2>Run ${escape(runId)}</h2><p>No such run.</p></section>`;
  const steps = await stepsOfRun(deps.db, runId);
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
