import { createHash } from "node:crypto";
import { serveFetchHandler, type RunningServer } from "../../local/http/serve-fetch-handler";
import { signRequestBody } from "../../local/inngest/signing";

export interface Registration {
  /** The environment Inngest Cloud files the sync under: "production", or the branch environment's name. */
  environment: string;
  url: string;
  appName: string;
  functionIds: string[];
}

/** How Inngest Cloud authenticates an SDK: `Bearer signkey-<env>-<sha256 of the key's hex bytes>`. */
function hashedSigningKey(key: string): string {
  const prefix = key.match(/^signkey-\w+-/)![0];
  return (
    prefix +
    createHash("sha256")
      .update(Buffer.from(key.slice(prefix.length), "hex"))
      .digest("hex")
  );
}

/**
 * A stand-in for Inngest Cloud's API at its HTTP boundary, with Cloud's rules for environments: the production
 * environment has its own signing key; all branch environments share one branch key and are told apart by the
 * X-Inngest-Env header (Inngest creates a branch environment on its first sync). It records every sync, refuses a
 * key that is not the named environment's, and signs the requests it sends to an app as Cloud does.
 */
export async function startInngestCloud(keys: { production: string; branch: string }) {
  const registrations: Registration[] = [];
  const refused: string[] = [];
  const server: RunningServer = await serveFetchHandler(async (request) => {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/fn/register")
      return Response.json({ error: `not found: ${request.method} ${url.pathname}` }, { status: 404 });
    const named = request.headers.get("x-inngest-env");
    const environment = named && named !== "production" ? named : "production";
    const expected = hashedSigningKey(environment === "production" ? keys.production : keys.branch);
    if (request.headers.get("authorization") !== `Bearer ${expected}`) {
      refused.push(`${environment}: ${request.headers.get("authorization")}`);
      return Response.json({ status: 401, error: `signing key is not ${environment}'s` }, { status: 401 });
    }
    const body = (await request.json()) as { url: string; appName: string; functions: Array<{ id: string }> };
    registrations.push({
      environment,
      url: body.url,
      appName: body.appName,
      functionIds: body.functions.map((fn) => fn.id).sort(),
    });
    return Response.json({ ok: true, modified: true });
  }, 0);

  return {
    url: server.url,
    registrations,
    refused,
    /** Calls a registered function with a body signed by an environment's key, as Cloud runs each step. */
    async callFunction(serveUrl: string, fnId: string, body: unknown, key: string): Promise<Response> {
      return fetch(`${serveUrl}?fnId=${fnId}&stepId=step`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-inngest-server-kind": "cloud",
          "x-inngest-signature": signRequestBody(body, key, Math.floor(Date.now() / 1000)),
        },
        body: JSON.stringify(body),
      });
    },
    stop: () => server.stop(),
  };
}
