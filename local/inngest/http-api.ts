import { json, Router } from "../http/router";
import type { FetchHandler } from "../http/serve-fetch-handler";
import { runForApi } from "./api-shapes";
import type { Clock } from "./clock";
import type { Database } from "./store/database";
import { parseDurationMs } from "./durations";
import { MAX_EVENT_BYTES, MAX_EVENT_REQUEST_BYTES } from "./limits";
import type { AsyncCheckpoint } from "./checkpoint";
import type { Engine } from "./engine";
import type { FunctionRegistry } from "./registry";
import { registerApp } from "./sync";
import type { FunctionConfig, InngestEvent } from "./types";
import { renderAppsPage } from "./dashboard/apps-page";
import { renderEventsPage } from "./dashboard/events-page";
import { renderFunctionsPage } from "./dashboard/functions-page";
import type { DashboardDeps } from "./dashboard/html";
import { renderRunPage } from "./dashboard/run-page";
import { renderRunRows, renderRunsPage } from "./dashboard/runs-page";
import { isLoopbackHostname, onlyFromLoopback } from "./loopback-guard";
import { listApps } from "./store/apps";
import { listEvents } from "./store/events";
import { makeStepWaitDue } from "./store/jobs";
import { findRun, listRuns, runsOfEvent } from "./store/runs";
import { stepsOfRun } from "./store/steps";

export interface ApiDeps extends DashboardDeps {
  db: Database;
  clock: Clock;
  engine: Engine;
  registry: FunctionRegistry;
  /** Syncs every app, or only the one at `url`. */
  syncNow: (url?: string) => Promise<unknown>;
  /** The SDK URLs the executor was started with; any other app may register only from this machine. */
  appUrls: () => readonly string[];
}

/** Every HTTP endpoint of the executor: the Event API, SDK registration, REST v1, the control API and the dashboard. */
export function createExecutorHandler(deps: ApiDeps): FetchHandler {
  const { db, engine, registry, clock } = deps;
  const router = new Router();

  router.post("/e/:key", async (request) => {
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_EVENT_REQUEST_BYTES) {
      return json(
        {
          error: `The request is ${Buffer.byteLength(text)} bytes; events are limited to 512 KB per request.`,
          status: 400,
        },
        400,
      );
    }
    const parsed = parseEvents(text);
    if (typeof parsed === "string") return json({ error: parsed, status: 400 }, 400);
    // Checked per event, before any is taken in, so a rejected request loses or half-sends nothing.
    for (const event of parsed) {
      const size = Buffer.byteLength(JSON.stringify(event));
      if (size > MAX_EVENT_BYTES) {
        const error = `Event is over the max size: Max ${MAX_EVENT_BYTES} bytes / Size ${size} bytes ("${event.name}"). Send large data by reference (e.g. a storage path) instead.`;
        return json({ error, status: 400 }, 400);
      }
    }
    const ids = await engine.send(parsed);
    return json({ ids, status: 200 });
  });

  router.post("/v1/checkpoint/:runId/async", async (request, params) => {
    const body = (await request.json().catch(() => null)) as AsyncCheckpoint | null;
    if (!body || !Array.isArray(body.steps))
      return json({ error: "expected { qi_id, steps: [...] }", status: 400 }, 400);
    const result = await engine.checkpoint(params.runId!, body);
    return result.status === 200
      ? json({ status: 200 })
      : json({ error: result.error, status: result.status, data: { run_id: params.runId } }, result.status);
  });

  router.post("/fn/register", async (request) => {
    const body = (await request.json().catch(() => null)) as {
      url?: string;
      appName?: string;
      functions?: FunctionConfig[];
    } | null;
    if (!body?.url || !body.appName || !Array.isArray(body.functions)) {
      return json({ status: 400, error: "expected { url, appName, functions }" }, 400);
    }
    if (!isRegistrable(body.url, deps.appUrls())) {
      return json(
        {
          status: 403,
          error: `${body.url} is not an app this executor was given (-u), nor on this machine: it would be sent every run of its functions.`,
        },
        403,
      );
    }
    await registerApp(body.url, body.appName, body.functions, deps);
    await engine.scheduleCrons();
    return json({ ok: true, modified: true });
  });

  router.get("/v1/events/:eventId/runs", async (_request, params) => {
    const runs = await runsOfEvent(db, params.eventId!);
    return json({ data: runs.map(runForApi) });
  });
  router.get("/v1/runs/:runId", async (_request, params) => {
    const run = await findRun(db, params.runId);
    return run ? json({ data: runForApi(run) }) : json({ error: `No run ${params.runId}` }, 404);
  });
  router.delete("/v1/runs/:runId", async (_request, params) => {
    const cancelled = await engine.cancel(params.runId!);
    const run = await findRun(db, params.runId);
    if (!run) return json({ error: `No run ${params.runId}` }, 404);
    return json({ data: { ...runForApi(run), cancelled } });
  });

  router.get("/api/apps", async () => json({ data: await listApps(db) }));
  // `{ "url": "<serve URL>" }` resyncs one app (a PUT to its serve URL); without it, every app given with -u.
  router.post("/api/apps/sync", async (request) => {
    const body = (await request.json().catch(() => ({}))) as { url?: unknown } | null;
    if (body?.url === undefined) return json({ data: await deps.syncNow() });
    const known = deps.appUrls().includes(String(body.url)) || (await listApps(db)).some((a) => a.url === body.url);
    if (typeof body.url !== "string" || !known)
      return json({ error: `${String(body.url)} is not an app this executor knows (see GET /api/apps)` }, 404);
    return json({ data: await deps.syncNow(body.url) });
  });

  router.get("/api/functions", async () => {
    const crons = await engine.nextCronFires();
    const data = registry.all().map((fn) => ({
      id: fn.config.id,
      name: fn.config.name,
      appUrl: fn.appUrl,
      triggers: fn.config.triggers,
      config: fn.config,
      nextCronFires: crons
        .filter((c) => c.functionId === fn.config.id)
        .map((c) => new Date(c.nextFireAt).toISOString()),
    }));
    return json({ data });
  });
  router.post("/api/functions/:id/invoke", async (request, params) => {
    const body = (await request.json().catch(() => ({}))) as { data?: Record<string, unknown> };
    const fn = registry.get(params.id!);
    if (!fn) return json({ error: `No function ${params.id}` }, 404);
    const cron = fn.config.triggers.find((t) => t.cron)?.cron;
    const now = clock.now();
    const event: InngestEvent = cron
      ? {
          name: "inngest/scheduled.timer",
          data: { cron, scheduledAt: new Date(now).toISOString(), manual: true },
          ts: now,
        }
      : { name: "inngest/function.invoked", data: body.data ?? {}, ts: now };
    const runId = await engine.invoke(params.id!, event);
    return json({ data: { run_id: runId } });
  });

  router.get("/api/events", async (_request, _params, url) => {
    const name = url.searchParams.get("name");
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 100), 1000);
    const rows = await listEvents(db, { name, limit });
    return json({
      data: rows.map((r) => ({
        id: r.internal_id,
        name: r.name,
        event: r.payload,
        received_at: new Date(r.received_at).toISOString(),
      })),
    });
  });
  router.post("/api/events", async (request) => {
    const parsed = parseEvents(await request.text());
    if (typeof parsed === "string") return json({ error: parsed }, 400);
    return json({ data: { ids: await engine.send(parsed) } });
  });

  router.get("/api/runs", async (_request, _params, url) => {
    const filters = {
      status: url.searchParams.get("status"),
      functionId: url.searchParams.get("function"),
      eventId: url.searchParams.get("event"),
      since: url.searchParams.get("since") ? Date.parse(url.searchParams.get("since")!) : null,
      text: url.searchParams.get("q"),
    };
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 100), 1000);
    const runs = await listRuns(db, { ...filters, limit });
    return json({ data: runs.map((run) => ({ ...runForApi(run), event: run.event, error: run.error })) });
  });
  router.get("/api/runs/:runId", async (_request, params) => {
    const run = await findRun(db, params.runId);
    if (!run) return json({ error: `No run ${params.runId}` }, 404);
    const steps = await stepsOfRun(db, params.runId!);
    return json({ data: { ...runForApi(run), event: run.event, error: run.error, steps } });
  });
  router.post("/api/runs/:runId/cancel", async (_request, params) =>
    json({ data: { cancelled: await engine.cancel(params.runId!) } }),
  );
  // `{ "fromStep": "<step id>" }` reruns from that step, reusing the results of the steps before it; `"input": [...]`
  // runs that step with those arguments instead of its own.
  router.post("/api/runs/:runId/rerun", async (request, params) => {
    const body = (await request.json().catch(() => ({}))) as { fromStep?: unknown; input?: unknown } | null;
    const fromStep = body?.fromStep;
    if (fromStep !== undefined && (typeof fromStep !== "string" || !fromStep))
      return json({ error: '"fromStep" must be a step id of the run (see its steps in GET /api/runs/:id)' }, 400);
    const input = body?.input;
    if (input !== undefined && (fromStep === undefined || !Array.isArray(input)))
      return json({ error: '"input" must be a JSON array (the step\'s arguments), given with "fromStep"' }, 400);
    const result = await engine.rerun(params.runId!, fromStep, input as unknown[] | undefined);
    if ("error" in result) return json({ error: result.error }, result.status);
    return json({ data: { run_id: result.runId } });
  });
  router.post("/api/runs/:runId/steps/:stepId/skip", async (_request, params) => {
    const skipped = await makeStepWaitDue(db, params.runId!, params.stepId!, clock.now());
    engine.wake();
    return json({ data: { skipped } }, skipped ? 200 : 404);
  });

  router.post("/api/clock/advance", async (request) => {
    const body = (await request.json().catch(() => ({}))) as { ms?: number; duration?: string };
    const ms = body.ms ?? (body.duration ? parseDurationMs(body.duration) : NaN);
    if (!(ms >= 0)) return json({ error: 'send { "duration": "24h" } or { "ms": 86400000 }' }, 400);
    clock.advance(ms);
    return json({ data: { now: new Date(clock.now()).toISOString() } });
  });
  router.post("/api/wait-until-idle", async () => {
    await engine.waitUntilIdle();
    return json({ data: { idle: true, now: new Date(clock.now()).toISOString() } });
  });

  const html = (body: string, status = 200) =>
    new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
  router.get("/", async (_request, _params, url) => {
    // The run page used to be `/?run=<id>`; such links still lead to it.
    const runId = url.searchParams.get("run");
    if (runId) return new Response(null, { status: 302, headers: { location: `/runs/${encodeURIComponent(runId)}` } });
    return html(await renderRunsPage(deps, url.searchParams));
  });
  // The runs table alone, for the dashboard to refresh live with the filters in its query string.
  router.get("/dashboard/runs", async (_request, _params, url) => html(await renderRunRows(deps, url.searchParams)));
  router.get("/runs/:runId", async (_request, params) => {
    const rendered = await renderRunPage(deps, params.runId!);
    return rendered
      ? html(rendered)
      : html(
          `<!doctype html><title>No such run</title><p>No run ${params.runId!.replace(/[^0-9A-Za-z_-]/g, "")}. <a href="/">All runs</a></p>`,
          404,
        );
  });
  router.get("/events", async (_request, _params, url) => html(await renderEventsPage(deps, url.searchParams)));
  router.get("/functions", async () => html(await renderFunctionsPage(deps)));
  router.get("/apps", async () => html(await renderAppsPage(deps)));

  return onlyFromLoopback(router.handler(() => json({ error: "Not found" }, 404)));
}

function parseEvents(text: string): InngestEvent[] | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "The body is not JSON: send an event object or an array of them.";
  }
  const events = Array.isArray(body) ? body : [body];
  for (const [index, event] of events.entries()) {
    if (
      !event ||
      typeof event !== "object" ||
      typeof (event as InngestEvent).name !== "string" ||
      !(event as InngestEvent).name
    ) {
      return `Event ${index} has no "name".`;
    }
    if (
      (event as InngestEvent).data !== undefined &&
      (typeof (event as InngestEvent).data !== "object" || (event as InngestEvent).data === null)
    ) {
      return `Event ${index} ("${(event as InngestEvent).name}") has a "data" that is not an object.`;
    }
  }
  return events as InngestEvent[];
}

/** An app may register if the executor was given its URL, or if it runs on this machine (an SDK's own PUT). */
function isRegistrable(url: string, given: readonly string[]): boolean {
  if (given.includes(url)) return true;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && isLoopbackHostname(parsed.hostname);
  } catch {
    return false;
  }
}
