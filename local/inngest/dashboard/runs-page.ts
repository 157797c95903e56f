import { parseDurationMs } from "../durations";
import { listRuns } from "../store/runs";
import { escape, functionLink, page, runLink, status, time, type DashboardDeps } from "./html";

// The dashboard's home: every run, narrowed by status, function, time range and text, refreshed live.

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
      (run) => `<tr><td>${runLink(run.run_id)}</td><td>${functionLink(run.function_id)}</td>
        <td>${status(run.status)}</td><td>${time(run.started_at)}</td><td>${time(run.ended_at)}</td></tr>`,
    )
    .join("");
  return rows || '<tr><td colspan="5">No runs match these filters.</td></tr>';
}

export async function renderRunsPage(deps: DashboardDeps, params: URLSearchParams): Promise<string> {
  const { registry, clock } = deps;
  const runRows = await renderRunRows(deps, params);
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
  const body = `<section aria-labelledby="runs-heading"><h1 id="runs-heading">Runs</h1>${filters}<table><thead><tr><th>Run</th><th>Function</th><th>Status</th><th>Started</th><th>Ended</th></tr></thead><tbody id="run-rows" aria-live="polite">${runRows}</tbody></table></section>`;
  return page({ title: "Runs", current: "/", clock, body });
}
