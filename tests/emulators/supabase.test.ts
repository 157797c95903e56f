import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { readAuthConfig } from "../../local/emulators/supabase/auth-config";
import { signJwt } from "../../local/emulators/supabase/jwt";
import { startSupabaseEmulator } from "../../local/emulators/supabase/index";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";

let database: TestDatabase;
let sql: postgres.Sql;
let storageDir: string;
let emulator: Awaited<ReturnType<typeof startSupabaseEmulator>>;
/** How far the emulator's clock runs ahead of the real one. */
let clockAheadMs = 0;
const authRequests: string[] = [];

const client = (key: string = LOCAL_DEFAULTS.SUPABASE_ANON_KEY, accessToken?: string): SupabaseClient =>
  createClient(emulator.url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: {
      headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {},
      fetch: (input, init) => {
        authRequests.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
        return fetch(input, init);
      },
    },
  });

beforeAll(async () => {
  database = await startTestDatabase();
  sql = postgres(database.url, { prepare: false, max: 4, onnotice: () => {} });
  storageDir = await mkdtemp(path.join(tmpdir(), "stepwise-storage-"));
  emulator = await startSupabaseEmulator({
    sql,
    jwtSecret: LOCAL_DEFAULTS.SUPABASE_JWT_SECRET,
    storageDir,
    port: 0,
    now: () => Date.now() + clockAheadMs,
    // Sessions, tokens and Storage, with sign-up signing in at once (enable_confirmations = false); the
    // confirmation flows have their own file.
    authConfig: { ...readAuthConfig(), emailConfirmations: false },
  });
});

afterAll(async () => {
  await emulator.stop();
  await sql.end();
  await database.stop();
  await rm(storageDir, { recursive: true, force: true });
});

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF`);

describe("Supabase Auth emulator, through supabase-js", () => {
  it("signs up with a session, creates the profile row, and refuses a second signup for the same email", async () => {
    const { data, error } = await client().auth.signUp({
      email: "Ada@Example.com",
      password: "correct horse",
      options: { data: { full_name: "Ada" } },
    });
    expect(error).toBeNull();
    expect(data.session?.access_token).toBeTruthy();
    expect(data.user).toMatchObject({ email: "ada@example.com", user_metadata: { full_name: "Ada" } });
    const [profile] = await sql`select email, full_name from profiles where id = ${data.user!.id}`;
    expect(profile).toEqual({ email: "ada@example.com", full_name: "Ada" });
    const again = await client().auth.signUp({ email: "ada@example.com", password: "another one" });
    expect(again.error).toMatchObject({ status: 422, code: "user_already_exists" });
  });

  it("rejects a weak password and a wrong password with GoTrue's codes", async () => {
    const weak = await client().auth.signUp({ email: "weak@example.com", password: "short" });
    expect(weak.error).toMatchObject({ status: 422, code: "weak_password" });
    const wrong = await client().auth.signInWithPassword({ email: "ada@example.com", password: "wrong password" });
    expect(wrong.error).toMatchObject({ status: 400, code: "invalid_credentials" });
  });

  it("signs in, rotates refresh tokens, and revokes the session on sign out", async () => {
    const supabase = client();
    const { data } = await supabase.auth.signInWithPassword({ email: "ada@example.com", password: "correct horse" });
    const first = data.session!;
    const refreshed = await supabase.auth.refreshSession({ refresh_token: first.refresh_token });
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.session!.refresh_token).not.toBe(first.refresh_token);

    const user = await client().auth.getUser(refreshed.data.session!.access_token);
    expect(user.data.user?.email).toBe("ada@example.com");
    await supabase.auth.signOut();
    const after = await client().auth.getUser(refreshed.data.session!.access_token);
    expect(after.data.user).toBeNull();
    expect(after.error?.name).toBe("AuthSessionMissingError");
    const refreshAfter = await client().auth.refreshSession({ refresh_token: refreshed.data.session!.refresh_token });
    expect(refreshAfter.error).toMatchObject({ code: "refresh_token_not_found" });
  });

  it("signs access tokens with an ES256 key named by kid and publishes it, so getClaims needs no call to Auth", async () => {
    const { data } = await client().auth.signInWithPassword({ email: "ada@example.com", password: "correct horse" });
    const token = data.session!.access_token;
    const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString());
    const jwks = await fetch(`${emulator.url}/auth/v1/.well-known/jwks.json`, {
      headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY },
    });
    expect(jwks.headers.get("cache-control")).toBe("public, max-age=600");
    const { keys } = (await jwks.json()) as { keys: Array<Record<string, unknown>> };
    expect(header).toEqual({ alg: "ES256", kid: keys[0]!.kid, typ: "JWT" });
    expect(keys).toEqual([
      expect.objectContaining({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", key_ops: ["verify"] }),
    ]);
    expect(keys[0]).not.toHaveProperty("d");

    const verifier = client();
    const first = await verifier.auth.getClaims(token);
    expect(first.data?.claims).toMatchObject({ sub: data.user!.id, role: "authenticated", email: "ada@example.com" });
    authRequests.length = 0;
    const second = await verifier.auth.getClaims(token);
    expect(second.data?.claims.sub).toBe(data.user!.id);
    expect(authRequests).toEqual([]);

    // A token whose claims were changed after signing is refused, locally too.
    const [head, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString("base64url")}.${signature}`;
    expect((await verifier.auth.getClaims(forged)).error).toMatchObject({ name: "AuthInvalidJwtError" });
    expect((await client().auth.getUser(forged)).error).toMatchObject({ status: 403, code: "bad_jwt" });
  });

  it("lets requests that refresh at once all carry on with one session, as refresh_token_reuse_interval allows", async () => {
    const { data } = await client().auth.signInWithPassword({ email: "ada@example.com", password: "correct horse" });
    const stale = data.session!.refresh_token;
    // Two clients (two server instances, or two loaders) refresh with the same token at the same moment.
    const [one, two] = await Promise.all([
      client().auth.refreshSession({ refresh_token: stale }),
      client().auth.refreshSession({ refresh_token: stale }),
    ]);
    expect(one.error).toBeNull();
    expect(two.error).toBeNull();
    expect(two.data.session!.refresh_token).toBe(one.data.session!.refresh_token);
    // A client that lost the answer may ask again, and gets the session's active token again.
    const again = await client().auth.refreshSession({ refresh_token: stale });
    expect(again.data.session?.refresh_token).toBe(one.data.session!.refresh_token);
    const next = await client().auth.refreshSession({ refresh_token: one.data.session!.refresh_token });
    expect(next.error).toBeNull();
  });

  it("revokes the whole session when a rotated refresh token comes back after the reuse interval", async () => {
    const { data } = await client().auth.signInWithPassword({ email: "ada@example.com", password: "correct horse" });
    const stale = data.session!.refresh_token;
    const rotated = await client().auth.refreshSession({ refresh_token: stale });
    const current = await client().auth.refreshSession({ refresh_token: rotated.data.session!.refresh_token });
    expect(current.error).toBeNull();
    // supabase/config.toml: refresh_token_reuse_interval = 10 (seconds).
    clockAheadMs = 11_000;
    try {
      const reused = await client().auth.refreshSession({ refresh_token: stale });
      expect(reused.error).toMatchObject({ status: 400, code: "refresh_token_already_used" });
      const thief = await client().auth.refreshSession({ refresh_token: current.data.session!.refresh_token });
      expect(thief.error).toMatchObject({ code: "refresh_token_already_used" });
    } finally {
      clockAheadMs = 0;
    }
  });

  it("refuses an expired access token", async () => {
    const expired = signJwt(
      { sub: "x", role: "authenticated", exp: Math.floor(Date.now() / 1000) - 10 },
      LOCAL_DEFAULTS.SUPABASE_JWT_SECRET,
    );
    const { error } = await client().auth.getUser(expired);
    expect(error).toMatchObject({ status: 403, code: "bad_jwt" });
  });

  it("lets only the service role use the admin API, and deleting a user cascades", async () => {
    const denied = await client().auth.admin.listUsers();
    expect(denied.error).toMatchObject({ status: 403 });
    const admin = client(LOCAL_DEFAULTS.SUPABASE_SERVICE_ROLE_KEY);
    const created = await admin.auth.admin.createUser({
      email: "temp@example.com",
      password: "temporary pw",
      email_confirm: true,
    });
    expect(created.error).toBeNull();
    const listed = await admin.auth.admin.listUsers();
    expect(listed.data.users.map((u) => u.email)).toContain("temp@example.com");
    await admin.auth.admin.deleteUser(created.data.user!.id);
    expect(await sql`select 1 from profiles where id = ${created.data.user!.id}`).toHaveLength(0);
  });
});

describe("Supabase Storage emulator, through supabase-js", () => {
  async function signedInAs(email: string) {
    const { data } = await client().auth.signUp({ email, password: "a long password" });
    return { id: data.user!.id, storage: client(undefined, data.session!.access_token).storage.from("documents") };
  }

  it("uploads, lists, downloads, signs and removes a user's own file", async () => {
    const { id, storage } = await signedInAs("files@example.com");
    const uploaded = await storage.upload(`${id}/report.pdf`, pdf("hello"), { contentType: "application/pdf" });
    expect(uploaded.error).toBeNull();
    const listed = await storage.list(id);
    expect(listed.data?.map((f) => f.name)).toEqual(["report.pdf"]);
    const downloaded = await storage.download(`${id}/report.pdf`);
    expect(Buffer.from(await downloaded.data!.arrayBuffer()).toString()).toContain("hello");
    const signed = await storage.createSignedUrl(`${id}/report.pdf`, 60);
    expect(await (await fetch(signed.data!.signedUrl)).text()).toContain("hello");
    const duplicate = await storage.upload(`${id}/report.pdf`, pdf("again"), { contentType: "application/pdf" });
    expect(duplicate.error).toMatchObject({ statusCode: "409" });
    const replaced = await storage.upload(`${id}/report.pdf`, pdf("again"), {
      contentType: "application/pdf",
      upsert: true,
    });
    expect(replaced.error).toBeNull();
    await storage.remove([`${id}/report.pdf`]);
    expect((await storage.list(id)).data).toEqual([]);
  });

  it("refuses another user's folder, oversize files and other types", async () => {
    const alice = await signedInAs("alice@example.com");
    const bob = await signedInAs("bob@example.com");
    await alice.storage.upload(`${alice.id}/private.pdf`, pdf("alice"), { contentType: "application/pdf" });
    const intrusion = await bob.storage.upload(`${alice.id}/evil.pdf`, pdf("bob"), { contentType: "application/pdf" });
    expect(intrusion.error).toMatchObject({
      statusCode: "403",
      message: expect.stringContaining("row-level security"),
    });
    expect((await bob.storage.download(`${alice.id}/private.pdf`)).error).toBeTruthy();
    const huge = await bob.storage.upload(`${bob.id}/huge.pdf`, Buffer.alloc(51 * 1024 * 1024), {
      contentType: "application/pdf",
    });
    expect(huge.error).toMatchObject({ statusCode: "413" });
    const zip = await bob.storage.upload(`${bob.id}/a.zip`, Buffer.from("PK"), { contentType: "application/zip" });
    expect(zip.error).toMatchObject({ statusCode: "415" });
  });

  it("signs an upload URL for the caller's own folder, and stores the file sent to it as theirs, once", async () => {
    const carol = await signedInAs("carol@example.com");
    const path = `${carol.id}/direct.pdf`;
    const signed = await carol.storage.createSignedUploadUrl(path);
    expect(signed.error).toBeNull();
    expect(signed.data!.signedUrl).toMatch(/\/storage\/v1\/object\/upload\/sign\/documents\/.+\/direct\.pdf\?token=/);
    // Whoever holds the token uploads, without a session: an anonymous client, as a browser would.
    const anonymous = client().storage.from("documents");
    const uploaded = await anonymous.uploadToSignedUrl(
      path,
      signed.data!.token,
      new Blob([pdf("direct")], { type: "application/pdf" }),
    );
    expect(uploaded.error).toBeNull();
    expect(uploaded.data).toMatchObject({ path, fullPath: `documents/${path}` });
    const [object] = await sql<{ owner: string; size: number }[]>`
      select owner::text, (metadata->>'size')::int as size from storage.objects where name = ${path}`;
    expect(object).toEqual({ owner: carol.id, size: pdf("direct").length });
    const again = await anonymous.uploadToSignedUrl(
      path,
      signed.data!.token,
      new Blob([pdf("x")], { type: "application/pdf" }),
    );
    expect(again.error).toMatchObject({ statusCode: "409" });
    // The token names one object: it uploads nothing elsewhere.
    const elsewhere = await anonymous.uploadToSignedUrl(
      `${carol.id}/other.pdf`,
      signed.data!.token,
      new Blob([pdf("x")], { type: "application/pdf" }),
    );
    expect(elsewhere.error).toBeTruthy();
    expect((await sql`select 1 from storage.objects where name = ${`${carol.id}/other.pdf`}`).length).toBe(0);
  });

  it("refuses to sign an upload into another user's folder, and answers a browser's CORS preflight", async () => {
    const dave = await signedInAs("dave@example.com");
    const erin = await signedInAs("erin@example.com");
    const refused = await erin.storage.createSignedUploadUrl(`${dave.id}/evil.pdf`);
    expect(refused.error?.message).toContain("row-level security");
    expect(refused.data).toBeNull();
    const preflight = await fetch(`${emulator.url}/storage/v1/object/upload/sign/documents/x.pdf`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:3000", "access-control-request-method": "PUT" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("apikey");
  });
});
