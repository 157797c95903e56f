import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { builtAppServerEnv } from "../../local/built-app-server";
import { startSupabaseEmulator } from "../../local/emulators/supabase/index";
import type { RunningExecutor } from "../../local/inngest/index";
import { startTestExecutor } from "../../harness/test-stack";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";

// The local stack runs with test keys and no executor signing: it must be reachable from this machine only,
// and its Storage emulator must not let a name walk out of the caller's folder on disk.

let database: TestDatabase;
let sql: postgres.Sql;
let storageDir: string;
let supabase: Awaited<ReturnType<typeof startSupabaseEmulator>>;
let executor: RunningExecutor;

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF`);

async function signUp(): Promise<{ id: string; token: string }> {
  const response = await fetch(`${supabase.url}/auth/v1/signup`, {
    method: "POST",
    headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY, "content-type": "application/json" },
    body: JSON.stringify({
      email: `storage-${randomUUID().slice(0, 8)}@example.com`,
      password: "a good long password",
    }),
  });
  const body = (await response.json()) as { access_token: string; user: { id: string } };
  return { id: body.user.id, token: body.access_token };
}

/** Uploads as `token` to a path written exactly as given (already percent-encoded), as any HTTP client can. */
const uploadRaw = (token: string, encodedPath: string, bytes: Buffer) =>
  fetch(`${supabase.url}/storage/v1/object/documents/${encodedPath}`, {
    method: "POST",
    headers: {
      apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY,
      authorization: `Bearer ${token}`,
      "content-type": "application/pdf",
    },
    body: new Uint8Array(bytes),
  });

/** A request with headers fetch() will not let a caller set (Host), as a DNS-rebound page's would arrive. */
function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  database = await startTestDatabase();
  sql = postgres(database.url, { prepare: false, max: 4, onnotice: () => {} });
  storageDir = await mkdtemp(path.join(tmpdir(), "stepwise-storage-"));
  supabase = await startSupabaseEmulator({ sql, jwtSecret: LOCAL_DEFAULTS.SUPABASE_JWT_SECRET, storageDir, port: 0 });
  executor = await startTestExecutor();
});

afterAll(async () => {
  await executor?.stop();
  await supabase?.stop();
  await sql?.end();
  await database?.stop();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

describe("the Storage emulator", () => {
  it.each([
    ["an encoded ../", (victim: string) => `%2E%2E%2F${victim}%2Fdoc.pdf`],
    ["a lower-case encoded ../", (victim: string) => `%2e%2e%2f${victim}%2fdoc.pdf`],
    ["an encoded ./ and //", (victim: string) => `.%2F%2F${victim}%2Fdoc.pdf`],
    ["a backslash", (victim: string) => `..%5C${victim}%5Cdoc.pdf`],
  ])("refuses a name with %s out of the caller's folder, and leaves the other user's file alone", async (_, escape) => {
    const attacker = await signUp();
    const victim = await signUp();
    const original = pdf("the victim's own");
    expect((await uploadRaw(victim.token, `${victim.id}/doc.pdf`, original)).status).toBe(200);

    const response = await uploadRaw(attacker.token, `${attacker.id}/${escape(victim.id)}`, pdf("overwritten"));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "InvalidKey" });
    expect(await readFile(path.join(storageDir, "documents", victim.id, "doc.pdf"))).toEqual(original);
    const rows = await sql`select name from storage.objects where owner = ${attacker.id}`;
    expect(rows).toEqual([]);
  });

  it("stores a name written in another Unicode normal form under one name", async () => {
    const user = await signUp();
    const decomposed = encodeURIComponent("Cafe\u0301.pdf");
    expect((await uploadRaw(user.token, `${user.id}/${decomposed}`, pdf("menu"))).status).toBe(200);
    const [row] = await sql<{ name: string }[]>`select name from storage.objects where owner = ${user.id}`;
    expect(row!.name).toBe(`${user.id}/Caf\u00e9.pdf`);
  });
});

describe("the Inngest executor", () => {
  const event = JSON.stringify({ name: "local/poke", data: {} });

  it("takes an event from this machine", async () => {
    const response = await rawRequest(`${executor.url}/e/key`, { method: "POST", body: event });
    expect(response.status).toBe(200);
  });

  it("refuses a request addressed to another host name (DNS rebinding)", async () => {
    const response = await rawRequest(`${executor.url}/api/runs`, { headers: { host: "rebind.evil.example:8288" } });
    expect(response.status).toBe(403);
  });

  it("refuses a page of another site posting an event or reading runs", async () => {
    for (const origin of ["https://evil.example", "null"]) {
      const post = await rawRequest(`${executor.url}/e/key`, {
        method: "POST",
        headers: { origin, "content-type": "text/plain" },
        body: event,
      });
      expect(post.status).toBe(403);
      const read = await rawRequest(`${executor.url}/api/runs`, { headers: { origin } });
      expect(read.status).toBe(403);
    }
  });

  it("answers its own dashboard's requests", async () => {
    const origin = executor.url;
    const response = await rawRequest(`${executor.url}/api/functions`, { headers: { origin } });
    expect(response.status).toBe(200);
  });

  it("registers an app on this machine and refuses one elsewhere, which would be sent every run", async () => {
    const register = (url: string) =>
      rawRequest(`${executor.url}/fn/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          url,
          appName: "probe",
          functions: [
            { id: `probe-${randomUUID().slice(0, 6)}`, name: "probe", triggers: [{ event: "local/poke" }], steps: {} },
          ],
        }),
      });
    expect((await register("https://collector.evil.example/api/inngest")).status).toBe(403);
    const apps = JSON.parse((await rawRequest(`${executor.url}/api/apps`)).body) as { data: Array<{ url: string }> };
    expect(apps.data.map((app) => app.url)).not.toContain("https://collector.evil.example/api/inngest");
    expect((await register("http://127.0.0.1:9/api/inngest")).status).toBe(200);
  });
});

describe("npm run dev -- --built", () => {
  it("serves the app on 127.0.0.1 only", () => {
    expect(builtAppServerEnv({ NODE_ENV: "development" }, 3000)).toMatchObject({ HOST: "127.0.0.1", PORT: "3000" });
  });
});
