import { findEvent } from "../store/events";
import { childRunsOf, findRun, rerunsOf, runsStartedByEvents, type LinkedRun } from "../store/runs";
import { stepThatSentEvent, stepsOfRun } from "../store/steps";
import type { RunRow, StepDetail } from "../types";
import {
  duration,
  escape,
  eventLink,
  functionLink,
  page,
  pretty,
  renderError,
  runFingerprint,
  runLink,
  status,
  time,
  type DashboardDeps,
} from "./html";

// One run: what started it (an event, a parent's step.invoke, another run's step.sendEvent, a rerun), its steps
// as a waterfall on the run's time axis (attempts, input, output, error with its stack), the runs its steps
// started, and the buttons to cancel it, rerun it, or rerun it from one of its steps.

export async function renderRunPage(deps: DashboardDeps, runId: string): Promise<string | null> {
  const { db, clock } = deps;
  const run = await findRun(db, runId);
  if (!run) return null;
  const steps = await stepsOfRun(db, runId);
  const children = await childRunsOf(db, runId);
  const sentEventIds = steps.flatMap((s) => (s.op === "SendEvent" ? eventIdsSentBy(s) : []));
  const startedBySends = await runsStartedByEvents(db, sentEventIds);
  const origin = await renderOrigin(deps, run);
  const reruns = await rerunsOf(db, runId);
  const now = clock.now();
  const end = run.ended_at ?? now;
  const span = Math.max(end - run.started_at, 1);
  const rerunnable = run.status !== "Running";
  const rows = steps.map((step) => renderStep({ run, step, span, now, children, startedBySends, rerunnable })).join("");
  const buttons =
    run.status === "Running"
      ? `<button data-post="/api/runs/${run.run_id}/cancel">Cancel</button>`
      : `<button data-post="/api/runs/${run.run_id}/rerun">Rerun</button>`;
  const rerunList = reruns.length
    ? `<dt>Reruns</dt><dd>${reruns
        .map(
          (r) =>
            `${runLink(r.run_id)} ${status(r.status)}${r.from_step ? ` from step <em>${escape(nameOf(steps, r.from_step))}</em>` : ""}`,
        )
        .join("<br>")}</dd>`
    : "";
  const ticks = [0, 1 / 3, 2 / 3, 1].map((f) => `<span style="left:${f * 100}%">${duration(f * span)}</span>`).join("");
  const body = `<section aria-labelledby="run-heading">
<h1 id="run-heading">Run ${escape(run.run_id)} · ${escape(run.function_id)} · ${status(run.status)}</h1>
<p>${buttons}</p>
<dl class="facts"><dt>Function</dt><dd>${functionLink(run.function_id)}</dd>
<dt>Started by</dt><dd>${origin}</dd>${rerunList}
<dt>Started</dt><dd>${time(run.started_at)} UTC</dd><dt>Ended</dt><dd>${time(run.ended_at)}${run.ended_at ? " UTC" : ""}</dd>
<dt>Took</dt><dd>${run.ended_at ? duration(run.ended_at - run.started_at) : `${duration(now - run.started_at)} so far`}</dd></dl>
<details><summary>Triggering event</summary><pre>${pretty(run.event)}</pre></details>
<h2>Steps</h2>
<table aria-label="Steps of run ${escape(run.run_id)}"><thead><tr><th>Step</th><th>Op</th><th>Attempts</th>
<th>Timeline (0 to ${duration(span)})<div class="axis" aria-hidden="true">${ticks}</div></th><th>Took</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">No steps yet.</td></tr>'}</tbody></table>
${run.status === "Completed" ? `<h2>Output</h2><pre>${pretty(run.output)}</pre>` : ""}${run.status === "Failed" ? `<h2>Error</h2>${renderError(run.error)}` : ""}</section>`;
  const liveRun =
    run.status === "Running" ? { runId: run.run_id, fingerprint: runFingerprint(run.status, steps) } : undefined;
  return page({ title: `Run ${run.run_id}`, current: "", clock, body, liveRun });
}

/** Where a run came from: the parent step that invoked it, a rerun's original, the step that sent its event, or the event. */
async function renderOrigin(deps: DashboardDeps, run: RunRow): Promise<string> {
  const parts: string[] = [];
  if (run.parent) {
    const parentSteps = await stepsOfRun(deps.db, run.parent.runId);
    parts.push(
      `step.invoke <em>${escape(nameOf(parentSteps, run.parent.stepId))}</em> of parent run ${runLink(run.parent.runId)}`,
    );
  }
  if (run.origin) {
    const originalSteps = run.origin.fromStep ? await stepsOfRun(deps.db, run.origin.runId) : [];
    const from = run.origin.fromStep ? ` from step <em>${escape(nameOf(originalSteps, run.origin.fromStep))}</em>` : "";
    const withInput = run.origin.input
      ? ` with the input <code>${escape(JSON.stringify(run.origin.input))}</code>`
      : "";
    parts.push(`a rerun of ${runLink(run.origin.runId)}${from}${withInput}`);
  }
  if (run.event_id) {
    const event = await findEvent(deps.db, run.event_id);
    const sender = await stepThatSentEvent(deps.db, run.event_id);
    const label = event ? `${event.name} (${run.event_id})` : run.event_id;
    parts.push(`event ${eventLink(run.event_id, label)}`);
    if (sender)
      parts.push(
        `sent by step.sendEvent <em>${escape(sender.name ?? sender.step_id)}</em> of run ${runLink(sender.run_id)}`,
      );
  } else if (!run.parent) {
    parts.push(`event ${escape(run.event.name)} (invoked from the dashboard or API)`);
  }
  return parts.join("<br>");
}

const stepName = (step: StepDetail) => step.display_name ?? step.name ?? step.step_id;
/** A step's name by its id (a hash), or the id when the run has no such step. */
const nameOf = (steps: StepDetail[], stepId: string) => {
  const step = steps.find((s) => s.step_id === stepId);
  return step ? stepName(step) : stepId;
};

function eventIdsSentBy(step: StepDetail): string[] {
  const ids = (step.state as { data?: { ids?: unknown } } | null)?.data?.ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

function renderStep(input: {
  run: RunRow;
  step: StepDetail;
  span: number;
  now: number;
  children: Array<LinkedRun & { step_id: string }>;
  startedBySends: Array<LinkedRun & { event_id: string }>;
  rerunnable: boolean;
}): string {
  const { run, step, span, now } = input;
  const name = stepName(step);
  const start = step.started_at ?? run.started_at;
  const end = step.ended_at ?? now;
  const left = Math.min(Math.max(((start - run.started_at) / span) * 100, 0), 100);
  const width = Math.min(Math.max(((end - start) / span) * 100, 0), 100 - left);
  const waiting = step.ended_at === null;
  const took = step.reused_from ? "reused" : waiting ? `waiting (${duration(now - start)})` : duration(end - start);
  const barClass = `bar op-${escape(step.op)}${waiting ? " waiting" : ""}${step.reused_from ? " reused" : ""}`;
  const barLabel = step.reused_from
    ? `${name}: result reused from run ${step.reused_from}`
    : `${name}: starts at +${duration(Math.max(start - run.started_at, 0))}, ${waiting ? "still waiting" : `takes ${duration(end - start)}`}`;
  const skip = waiting
    ? `<button data-post="/api/runs/${run.run_id}/steps/${encodeURIComponent(step.step_id)}/skip" aria-label="Skip wait (step ${escape(name)})">Skip wait</button>`
    : "";
  const rerunFrom =
    input.rerunnable && !step.reused_from
      ? `<button data-post="/api/runs/${run.run_id}/rerun" data-body="${escape(JSON.stringify({ fromStep: step.step_id }))}" aria-label="Rerun from here (step ${escape(name)})">Rerun from here</button>`
      : "";
  const links: string[] = [];
  for (const child of input.children.filter((c) => c.step_id === step.step_id))
    links.push(`<p>Invoked run ${runLink(child.run_id)} (${escape(child.function_id)}, ${status(child.status)})</p>`);
  if (step.op === "SendEvent") {
    for (const id of eventIdsSentBy(step)) {
      const runs = input.startedBySends.filter((r) => r.event_id === id);
      const started = runs.map((r) => `${runLink(r.run_id)} (${escape(r.function_id)}, ${status(r.status)})`);
      links.push(`<p>Sent event ${eventLink(id)}${started.length ? `, which started ${started.join(", ")}` : ""}</p>`);
    }
  }
  if (step.reused_from) links.push(`<p>Result reused from run ${runLink(step.reused_from)}, not run again.</p>`);
  const args = (step.input as { input?: unknown } | null)?.input;
  const rerunWithInput =
    input.rerunnable && !step.reused_from && Array.isArray(args)
      ? `<details><summary>Rerun from ${escape(name)} with another input…</summary>
<form class="rerun-input" data-run="${escape(run.run_id)}" data-step="${escape(step.step_id)}">
<label for="input-${escape(step.step_id)}">Input of ${escape(name)} (a JSON array of its arguments)</label>
<textarea id="input-${escape(step.step_id)}" name="input" rows="3">${pretty(args)}</textarea>
<p role="alert" class="error"></p><button>Rerun with this input</button></form></details>`
      : "";
  const state = step.state as Record<string, unknown> | null;
  const output =
    state && typeof state === "object" && "data" in state
      ? `<h3>Output</h3><pre>${pretty(state.data)}</pre>`
      : state !== null && state !== undefined && !(typeof state === "object" && "error" in state)
        ? `<h3>Output</h3><pre>${pretty(state)}</pre>`
        : "";
  const detail = `${links.join("")}<details><summary>Input, output and error of ${escape(name)}</summary>
<h3>Input</h3>${step.input === null || step.input === undefined ? "<p>none</p>" : `<pre>${pretty(step.input)}</pre>`}
${output}${step.error ? `<h3>Error${waiting ? " of the last attempt" : ""}</h3>${renderError(step.error)}` : ""}</details>${rerunWithInput}`;
  return `<tr><th scope="row">${escape(name)}</th><td>${escape(step.op)}</td><td>${step.attempts}</td>
<td><div class="track" role="img" aria-label="${escape(barLabel)}"><div class="${barClass}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></div></div></td>
<td>${took}</td><td>${skip}${rerunFrom}</td></tr><tr class="step-detail"><td colspan="6">${detail}</td></tr>`;
}
