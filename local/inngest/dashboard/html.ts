import type { Clock } from "../clock";
import type { Engine } from "../engine";
import type { FunctionRegistry } from "../registry";
import type { Database } from "../store/database";

// What every dashboard page shares: escaping, formatting, the page shell (navigation, styles) and the one script
// that makes its buttons and forms call the JSON control API. Every value that comes from a user, an app or a run
// (event payloads, step inputs and outputs, errors, names) goes through `escape` before it reaches the HTML.

export interface DashboardDeps {
  db: Database;
  clock: Clock;
  engine: Engine;
  registry: FunctionRegistry;
}

export const escape = (value: unknown) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
export const time = (ms: number | null) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "—");
export const pretty = (value: unknown) => escape(JSON.stringify(value, null, 2));
export const duration = (ms: number) =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export const runLink = (runId: string, label: string = runId) =>
  `<a href="/runs/${encodeURIComponent(runId)}">${escape(label)}</a>`;
export const functionLink = (functionId: string) =>
  `<a href="/functions#fn-${encodeURIComponent(functionId)}">${escape(functionId)}</a>`;
export const eventLink = (eventId: string, label: string = eventId) =>
  `<a href="/events#event-${encodeURIComponent(eventId)}">${escape(label)}</a>`;
export const status = (value: string) => `<span class="s-${escape(value)}">${escape(value)}</span>`;

/** An error as Inngest records it (`{ name, message, stack }`), with its stack; anything else as JSON. */
export function renderError(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) {
    const { name, message, stack } = error as { name?: unknown; message?: unknown; stack?: unknown };
    const heading = `<p class="error"><strong>${escape(name ?? "Error")}</strong>: ${escape(message)}</p>`;
    return stack ? `${heading}<pre class="stack">${escape(stack)}</pre>` : heading;
  }
  return `<pre class="error">${pretty(error)}</pre>`;
}

const PAGES: Array<[string, string]> = [
  ["/", "Runs"],
  ["/events", "Events"],
  ["/functions", "Functions"],
  ["/apps", "Apps"],
];

/** A whole page: the header (navigation, clock controls), the content, the shared script. */
export function page(input: {
  title: string;
  current: string;
  clock: Clock;
  body: string;
  /**
   * A running run shown: its state (`runFingerprint`) is polled and the page reloads only when it changed, so a
   * run that sleeps does not keep closing what the reader opened or moving their focus.
   */
  liveRun?: { runId: string; fingerprint: string };
}): string {
  const nav = PAGES.map(
    ([href, label]) => `<a href="${href}"${href === input.current ? ' aria-current="page"' : ""}>${label}</a>`,
  ).join(" ");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(input.title)} · local Inngest executor</title>
<style>${STYLES}</style></head><body><header><strong>Local Inngest executor</strong> <nav aria-label="Dashboard">${nav}</nav>
 <span>clock ${time(input.clock.now())} UTC</span> <button data-advance="1h">+1 h</button> <button data-advance="24h">+24 h</button>
 <p role="status" id="done"></p><p role="alert" id="flash" class="error"></p></header><main>
${input.body}
</main>${input.liveRun ? `<div hidden id="live-run" data-run="${escape(input.liveRun.runId)}" data-fingerprint="${escape(input.liveRun.fingerprint)}"></div>` : ""}<script>${SCRIPT}</script></body></html>`;
}

/** What changes when a run moves on (its status, a step starting, finishing or retrying), as the live poll compares it. */
export function runFingerprint(
  status: string,
  steps: Array<{ step_id: string; ended_at: number | null; attempts: number }>,
): string {
  return `${status}|${steps.map((s) => `${s.step_id}:${s.ended_at ?? ""}:${s.attempts}`).join(",")}`;
}

const STYLES = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1b1d23}header{background:#1b1d23;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
header nav a{color:#fff;margin-right:.6rem}header nav a[aria-current]{font-weight:bold;text-decoration:none;border-bottom:2px solid #fff}
#done:empty{display:none}main{padding:1rem;display:grid;gap:1rem;max-width:80rem}section{background:#fff;border:1px solid #dfe2e8;border-radius:6px;padding:.5rem 1rem;overflow-x:auto}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{margin:0;max-height:18rem;overflow:auto;background:#f7f7f9;padding:.4rem}.s-Completed{color:#2b8a3e}.s-Failed{color:#c92a2a}.s-Running{color:#3b5bdb}.s-Cancelled{color:#777}
textarea{width:100%;font-family:monospace}button{cursor:pointer}.error{color:#c92a2a;margin:.2rem 0}.error:empty{display:none}header .error{color:#ffa8a8}
#run-filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin-bottom:.5rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.axis{position:relative;height:1.2rem;font-size:12px;color:#666}.axis span{position:absolute;transform:translateX(-50%)}.axis span:first-child{transform:none}.axis span:last-child{transform:translateX(-100%)}
.track{position:relative;height:1rem;background:#f1f3f5;border-radius:3px;min-width:12rem}.bar{position:absolute;top:0;bottom:0;border-radius:3px;min-width:3px;background:#3b5bdb}
.bar.op-StepFailed{background:#c92a2a}.bar.waiting{background:repeating-linear-gradient(45deg,#91a7ff,#91a7ff 4px,#dbe4ff 4px,#dbe4ff 8px)}.bar.reused{background:#adb5bd}
tr.step-detail>td{border-bottom:2px solid #dfe2e8;padding-top:0}table.config{width:auto}.config td:first-child{font-weight:600;white-space:nowrap;width:9rem}
ul.index{columns:16rem;margin:0}td ul{margin:0;padding-left:1rem}td code{word-break:break-all}.axis span{white-space:nowrap}.nowrap{white-space:nowrap}`;

const SCRIPT = `
const flash = (message) => { document.getElementById("flash").textContent = message; };
// What a sync did, said once on the page it reloads to.
const done = sessionStorage.getItem("dashboard-done");
if (done) { document.getElementById("done").textContent = done; sessionStorage.removeItem("dashboard-done"); }
const syncReport = (results) => Object.entries(results).map(([url, r]) => r.ok ? url + ": synced " + r.functionCount + " functions" : url + ": " + r.error).join("; ");
const post = async (url, body) => {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) { flash(answer.error || url + " answered " + response.status); return answer; }
  if (url === "/api/apps/sync") sessionStorage.setItem("dashboard-done", syncReport(answer.data));
  if (answer.data && answer.data.run_id) location.href = "/runs/" + answer.data.run_id; else location.reload();
  return answer;
};
document.addEventListener("click", (e) => {
  const b = e.target.closest("button"); if (!b) return;
  if (b.dataset.post) post(b.dataset.post, b.dataset.body ? JSON.parse(b.dataset.body) : undefined);
  if (b.dataset.advance) post("/api/clock/advance", { duration: b.dataset.advance });
  if (b.dataset.replay) { const ev = JSON.parse(b.dataset.replay); delete ev.id; post("/api/events", ev); }
});
const send = document.getElementById("send");
if (send) send.addEventListener("submit", (e) => {
  e.preventDefault();
  let event;
  try { event = JSON.parse(document.getElementById("event-json").value); } catch (err) { flash("The event is not JSON: " + err.message); return; }
  post("/api/events", event);
});
for (const form of document.querySelectorAll("form.invoke")) form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const error = form.querySelector(".error");
  let data;
  try { data = JSON.parse(form.elements.data.value); } catch (err) { error.textContent = "The event data is not JSON: " + err.message; return; }
  if (!data || typeof data !== "object" || Array.isArray(data)) { error.textContent = "The event data must be a JSON object, such as {}."; return; }
  const answer = await fetch("/api/functions/" + form.dataset.function + "/invoke", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ data }) }).then((r) => r.json());
  if (answer.data && answer.data.run_id) location.href = "/runs/" + answer.data.run_id;
  else error.textContent = answer.error || "The run was not started (its flow control skipped it).";
});
// Rerun from a step with the input typed in (the step's arguments, a JSON array).
for (const form of document.querySelectorAll("form.rerun-input")) form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const error = form.querySelector(".error");
  let input;
  try { input = JSON.parse(form.elements.input.value); } catch (err) { error.textContent = "The input is not JSON: " + err.message; return; }
  if (!Array.isArray(input)) { error.textContent = "The input must be a JSON array of the step's arguments, such as [1, 2]."; return; }
  const answer = await post("/api/runs/" + form.dataset.run + "/rerun", { fromStep: form.dataset.step, input });
  if (answer.error) error.textContent = answer.error;
});
// A running run's page reloads when the run moved on (the same fingerprint as runFingerprint), not on a timer.
const liveRun = document.getElementById("live-run");
if (liveRun) setInterval(async () => {
  const answer = await fetch("/api/runs/" + liveRun.dataset.run).then((r) => r.json()).catch(() => null);
  if (!answer || !answer.data) return;
  const run = answer.data;
  const now = run.status + "|" + run.steps.map((s) => s.step_id + ":" + (s.ended_at ?? "") + ":" + s.attempts).join(",");
  if (now !== liveRun.dataset.fingerprint) location.reload();
}, 1500);
// The runs table follows its filters as they change and refreshes every 2 s, without reloading the page.
const filters = document.getElementById("run-filters");
if (filters) {
  const filterQuery = () => { const q = new URLSearchParams(new FormData(filters)); for (const [k, v] of [...q]) if (!v) q.delete(k); return q; };
  const refreshRuns = async () => {
    const html = await fetch("/dashboard/runs?" + filterQuery()).then((r) => r.text()).catch(() => null);
    if (html !== null) document.getElementById("run-rows").innerHTML = html;
  };
  const applyFilters = () => {
    const query = filterQuery();
    history.replaceState(null, "", "/" + (query.size ? "?" + query : ""));
    refreshRuns();
  };
  filters.addEventListener("change", applyFilters);
  filters.addEventListener("input", applyFilters);
  filters.addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  setInterval(refreshRuns, 2000);
}`;
