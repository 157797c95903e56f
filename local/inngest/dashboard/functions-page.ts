import { maxAttempts } from "../registry";
import type { FunctionConfig } from "../types";
import { escape, page, pretty, time, type DashboardDeps } from "./html";

// Every synced function with its whole configuration as its app registered it, and a way to start it: invoke
// with a JSON payload, or fire a cron function now.

/** The settings shown for every function, in this order, whether set or not (unset reads "—"). */
const SETTINGS: Array<[label: string, read: (config: FunctionConfig) => unknown]> = [
  [
    "Triggers",
    (c) =>
      c.triggers
        .map((t) => (t.cron ? `cron ${t.cron}` : `event ${t.event}`) + (t.expression ? ` if ${t.expression}` : ""))
        .join("; "),
  ],
  ["Retries", (c) => maxAttempts(c) - 1],
  ["Concurrency", (c) => c.concurrency],
  ["Priority", (c) => c.priority],
  ["Singleton", (c) => c.singleton],
  ["Timeouts", (c) => c.timeouts],
  ["Batch events", (c) => c.batchEvents],
  ["Throttle", (c) => c.throttle],
  ["Rate limit", (c) => c.rateLimit],
  ["Debounce", (c) => c.debounce],
  ["Idempotency", (c) => c.idempotency],
  ["Cancel on", (c) => c.cancel],
];

const value = (setting: unknown) =>
  setting === undefined || setting === null
    ? "—"
    : typeof setting === "string" || typeof setting === "number"
      ? `<code>${escape(setting)}</code>`
      : `<code>${escape(JSON.stringify(setting))}</code>`;

export async function renderFunctionsPage(deps: DashboardDeps): Promise<string> {
  const { registry, engine, clock } = deps;
  const crons = await engine.nextCronFires();
  const sections = registry
    .all()
    .map((fn) => {
      const { config } = fn;
      const id = encodeURIComponent(config.id);
      const next = crons.filter((c) => c.functionId === config.id).map((c) => time(c.nextFireAt));
      const rows = SETTINGS.map(([label, read]) => `<tr><td>${label}</td><td>${value(read(config))}</td></tr>`);
      if (next.length) rows.push(`<tr><td>Next cron fire</td><td>${next.join("<br>")} UTC</td></tr>`);
      const action = config.triggers.some((t) => t.cron)
        ? `<button data-post="/api/functions/${id}/invoke">Fire cron now</button>`
        : `<details><summary>Invoke…</summary><form class="invoke" data-function="${id}">
            <label for="invoke-${id}">Event data (JSON) for ${escape(config.id)}</label>
            <textarea id="invoke-${id}" name="data" rows="3">{}</textarea>
            <p role="alert" class="error"></p><button>Invoke</button></form></details>`;
      return `<section id="fn-${escape(config.id)}" aria-labelledby="fn-${escape(config.id)}-name">
<h2 id="fn-${escape(config.id)}-name">${escape(config.id)}</h2><p>${escape(config.name)} · app <a href="/apps">${escape(fn.appUrl)}</a> · <a href="/?function=${id}">its runs</a></p>
<table class="config" aria-label="Configuration of ${escape(config.id)}"><tbody>${rows.join("")}</tbody></table>
<details><summary>Configuration of ${escape(config.id)} as synced (JSON)</summary><pre>${pretty(config)}</pre></details>${action}</section>`;
    })
    .join("");
  const index = registry
    .all()
    .map((fn) => `<li><a href="#fn-${escape(fn.config.id)}">${escape(fn.config.id)}</a></li>`)
    .join("");
  const body = sections
    ? `<section><h1>Functions</h1><nav aria-label="Functions"><ul class="index">${index}</ul></nav></section>${sections}`
    : '<section><h1>Functions</h1><p>No app synced yet: see <a href="/apps">Apps</a>.</p></section>';
  return page({ title: "Functions", current: "/functions", clock, body });
}
