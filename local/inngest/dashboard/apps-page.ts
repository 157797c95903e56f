import { listApps } from "../store/apps";
import { escape, page, time, type DashboardDeps } from "./html";

// The apps the executor syncs: whether the last sync worked, when it did, why it failed, and a Resync that asks
// the app again (a PUT to its serve URL, as `inngest-cli dev` does).

export async function renderAppsPage(deps: DashboardDeps): Promise<string> {
  const apps = await listApps(deps.db);
  const rows = apps
    .map((app) => {
      const state = app.error ? (app.synced_at ? "Out of date" : "Not synced") : "Synced";
      const resync = escape(JSON.stringify({ url: app.url }));
      return `<tr><td>${escape(app.app_id ?? "—")}</td><td><code>${escape(app.url)}</code></td>
        <td class="${app.error ? "s-Failed" : "s-Completed"}">${state}</td><td>${time(app.synced_at)}</td><td>${time(app.attempted_at)}</td>
        <td>${app.function_count}</td><td>${app.error ? `<p class="error">${escape(app.error)}</p>` : "—"}</td>
        <td><button data-post="/api/apps/sync" data-body="${resync}" aria-label="Resync ${escape(app.app_id ?? app.url)}">Resync</button></td></tr>`;
    })
    .join("");
  const body = `<section aria-labelledby="apps-heading"><h1 id="apps-heading">Apps</h1>
<table><thead><tr><th>App</th><th>Serve URL</th><th>Status</th><th>Last synced</th><th>Last tried</th><th>Functions</th><th>Sync error</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="8">No app has synced or tried to yet.</td></tr>'}</tbody></table>
<p><button data-post="/api/apps/sync">Sync every app</button></p></section>`;
  return page({ title: "Apps", current: "/apps", clock: deps.clock, body });
}
