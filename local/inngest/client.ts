// A typed client of the executor's HTTP API, for the project's tests and tools.

import type { StepDetail } from "./types";

export type { StepDetail };

export interface RunSummary {
  run_id: string;
  function_id: string;
  status: "Running" | "Completed" | "Failed" | "Cancelled";
  output: unknown;
  event_id: string | null;
  run_started_at: string;
  ended_at: string | null;
  event?: { name: string; data: Record<string, unknown> };
  error?: unknown;
}

export interface RunFilters {
  status?: RunSummary["status"];
  function?: string;
  event?: string;
  since?: string;
  limit?: number;
}

export class ExecutorClient {
  constructor(readonly baseUrl: string) {}

  async sendEvents(events: Array<{ name: string; data?: Record<string, unknown>; id?: string }>): Promise<string[]> {
    const body = await this.request<{ ids: string[]; status: number }>("POST", "/e/test", events);
    return body.ids;
  }

  async listEvents(
    name?: string,
  ): Promise<
    Array<{ id: string; name: string; event: { name: string; data: Record<string, unknown> }; received_at: string }>
  > {
    const query = name ? `?name=${encodeURIComponent(name)}` : "";
    return (
      await this.request<{
        data: Array<{
          id: string;
          name: string;
          event: { name: string; data: Record<string, unknown> };
          received_at: string;
        }>;
      }>("GET", `/api/events${query}`)
    ).data;
  }

  async listRuns(filters: RunFilters = {}): Promise<RunSummary[]> {
    const query = new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)]));
    return (await this.request<{ data: RunSummary[] }>("GET", `/api/runs?${query}`)).data;
  }

  async getRun(runId: string): Promise<RunSummary & { steps: StepDetail[] }> {
    return (await this.request<{ data: RunSummary & { steps: StepDetail[] } }>("GET", `/api/runs/${runId}`)).data;
  }

  async runsForEvent(eventId: string): Promise<RunSummary[]> {
    return (await this.request<{ data: RunSummary[] }>("GET", `/v1/events/${eventId}/runs`)).data;
  }

  async cancelRun(runId: string): Promise<void> {
    await this.request("DELETE", `/v1/runs/${runId}`);
  }

  /**
   * Reruns a run with its event; from a step (its `step_id`), reusing the results of the steps before it, and
   * with `input`, running that step with those arguments.
   */
  async rerun(runId: string, fromStep?: string, input?: unknown[]): Promise<string> {
    const body = fromStep === undefined ? {} : { fromStep, ...(input ? { input } : {}) };
    return (await this.request<{ data: { run_id: string } }>("POST", `/api/runs/${runId}/rerun`, body)).data.run_id;
  }

  /** Starts a function now: a cron function fires as if scheduled; another is invoked with `data`. */
  async invokeFunction(functionId: string, data: Record<string, unknown> = {}): Promise<string | null> {
    return (
      await this.request<{ data: { run_id: string | null } }>(
        "POST",
        `/api/functions/${encodeURIComponent(functionId)}/invoke`,
        { data },
      )
    ).data.run_id;
  }

  async listFunctions(): Promise<
    Array<{ id: string; name: string; triggers: unknown[]; nextCronFires: string[]; config: Record<string, unknown> }>
  > {
    return (
      await this.request<{
        data: Array<{
          id: string;
          name: string;
          triggers: unknown[];
          nextCronFires: string[];
          config: Record<string, unknown>;
        }>;
      }>("GET", "/api/functions")
    ).data;
  }

  /** Moves the executor's clock forward: sleeps, retries and timeouts due by then fire at once. */
  async advanceClock(duration: string): Promise<void> {
    await this.request("POST", "/api/clock/advance", { duration });
  }

  async skipStepWait(runId: string, stepId: string): Promise<void> {
    await this.request("POST", `/api/runs/${runId}/steps/${stepId}/skip`);
  }

  /** Resolves once nothing is due and nothing is running (future timers may remain). */
  async waitUntilIdle(): Promise<void> {
    await this.request("POST", "/api/wait-until-idle");
  }

  async syncApps(): Promise<Record<string, { ok: boolean; error?: string; functionCount?: number }>> {
    return (
      await this.request<{ data: Record<string, { ok: boolean; error?: string; functionCount?: number }> }>(
        "POST",
        "/api/apps/sync",
      )
    ).data;
  }

  /** Waits (bounded) until a run matching the filters reaches a final status, driving nothing itself. */
  async waitForRun(
    filters: RunFilters,
    predicate: (run: RunSummary) => boolean = (run) => run.status !== "Running",
    timeoutMs = 20_000,
  ): Promise<RunSummary> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.waitUntilIdle();
      const match = (await this.listRuns(filters)).find(predicate);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`No run matching ${JSON.stringify(filters)} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}
