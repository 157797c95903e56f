import { listEventsWithRuns } from "../store/events";
import { escape, functionLink, page, pretty, runLink, status, time, type DashboardDeps } from "./html";

// The latest events, each with the runs it started, its payload and a Replay; and a form to send one.

/** The start of an event's data, to tell events of one name apart at a glance (the whole payload is a click away). */
const preview = (data: unknown) => {
  const text = JSON.stringify(data ?? {});
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

export async function renderEventsPage(deps: DashboardDeps, params: URLSearchParams): Promise<string> {
  const name = params.get("name") || null;
  const events = await listEventsWithRuns(deps.db, { name, limit: 50 });
  const rows = events
    .map((e) => {
      const runs = e.runs.length
        ? `<ul>${e.runs.map((r) => `<li>${runLink(r.run_id)} ${functionLink(r.function_id)} ${status(r.status)}</li>`).join("")}</ul>`
        : "none";
      return `<tr id="event-${escape(e.internal_id)}"><td><a href="/events?name=${encodeURIComponent(e.name)}">${escape(e.name)}</a><br><small>${escape(e.internal_id)}</small></td>
        <td class="nowrap">${time(e.received_at)}</td><td><code>${escape(preview(e.payload.data))}</code></td><td>${runs}</td>
        <td><details><summary>Payload of ${escape(e.name)}</summary><pre>${pretty(e.payload)}</pre></details></td>
        <td><button data-replay="${escape(JSON.stringify(e.payload))}" aria-label="Replay (${escape(e.name)} ${escape(e.internal_id)})">Replay</button></td></tr>`;
    })
    .join("");
  const body = `<section aria-labelledby="events-heading"><h1 id="events-heading">Events${name ? ` named ${escape(name)}` : ""}</h1>
${name ? '<p><a href="/events">All events</a></p>' : ""}
<table><thead><tr><th>Event</th><th>Received</th><th>Data</th><th>Runs it started</th><th>Payload</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">No events yet.</td></tr>'}</tbody></table></section>
<section><h2>Send an event</h2><form id="send"><label for="event-json">Event (JSON)</label>
<textarea id="event-json" rows="4">{"name": "test/hello", "data": {}}</textarea><button>Send</button></form></section>`;
  return page({ title: "Events", current: "/events", clock: deps.clock, body });
}
