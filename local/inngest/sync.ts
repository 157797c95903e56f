import type { Clock } from "./clock";
import { recordSyncFailure } from "./store/apps";
import type { Database } from "./store/database";
import type { FunctionRegistry } from "./registry";
import { sendRequest, type AppResponse } from "./send-request";
import { signRequestBody } from "./signing";
import type { FunctionConfig } from "./types";

export interface SyncResult {
  ok: boolean;
  appId?: string;
  functionCount?: number;
  error?: string;
}

/**
 * Syncs one app in-band (docs/inngest-protocol.md, section 1): a PUT to its serve URL asking for its function list in the answer,
 * so no callback to the executor is needed. Signed like Inngest Cloud when a signing key is configured. A failed
 * sync is recorded with its reason (the dashboard's Apps page shows it); the app keeps what it last synced.
 */
export async function syncApp(
  url: string,
  deps: { db: Database; clock: Clock; registry: FunctionRegistry; signingKey?: string },
): Promise<SyncResult> {
  const body = { url };
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-inngest-sync-kind": "in_band",
    "x-inngest-server-kind": deps.signingKey ? "cloud" : "dev",
  };
  if (deps.signingKey)
    headers["x-inngest-signature"] = signRequestBody(body, deps.signingKey, Math.floor(deps.clock.now() / 1000));
  const failed = async (error: string): Promise<SyncResult> => {
    await recordSyncFailure(deps.db, { appUrl: url, error, now: deps.clock.now() });
    return { ok: false, error };
  };
  let response: AppResponse;
  try {
    response = await sendRequest("PUT", new URL(url), headers, JSON.stringify(body), 30_000);
  } catch (error) {
    return failed(`${url} is not reachable yet (${error instanceof Error ? error.message : error})`);
  }
  const { text } = response;
  if (!response.ok) return failed(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
  let parsed: { app_id?: string; functions?: FunctionConfig[] };
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = {};
  }
  if (!parsed.app_id || !Array.isArray(parsed.functions)) {
    return failed(`${url} did not answer with an Inngest app description (is it the serve route?)`);
  }
  await registerApp(url, parsed.app_id, parsed.functions, deps);
  return { ok: true, appId: parsed.app_id, functionCount: parsed.functions.length };
}

/** Stores what an app registered, in-band or through the SDK's out-of-band `POST /fn/register`. */
export async function registerApp(
  url: string,
  appId: string,
  functions: FunctionConfig[],
  deps: { db: Database; clock: Clock; registry: FunctionRegistry },
) {
  await deps.registry.replaceApp(deps.db, url, appId, functions, deps.clock.now());
}
