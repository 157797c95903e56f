import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { readAuthConfig, type AuthConfig } from "../../local/emulators/supabase/auth-config";
import { startSupabaseEmulator } from "../../local/emulators/supabase/index";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";
import { emailLinkIn } from "../support/email-links";

// The Auth emulator's mail-driven flows, as supabase/config.toml sets them (enable_confirmations = true), driven
// through supabase-js: confirmation, recovery, change of address, sign-out scopes, and GoTrue's rate limits.

let database: TestDatabase;
let sql: postgres.Sql;
let storageDir: string;
const emulators: Array<Awaited<ReturnType<typeof startSupabaseEmulator>>> = [];
let auth: Awaited<ReturnType<typeof startSupabaseEmulator>>;
let clockAheadMs = 0;
const APP = "http://127.0.0.1:3999";
const PASSWORD = "a good long password";

const start = async (authConfig: AuthConfig = readAuthConfig()) => {
  const emulator = await startSupabaseEmulator({
    sql,
    jwtSecret: LOCAL_DEFAULTS.SUPABASE_JWT_SECRET,
    storageDir,
    port: 0,
    now: () => Date.now() + clockAheadMs,
    authConfig,
  });
  emulators.push(emulator);
  return emulator;
};

const client = (url = auth.url, headers: Record<string, string> = {}): SupabaseClient =>
  createClient(url, LOCAL_DEFAULTS.SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, flowType: "implicit" },
    global: { headers },
  });

/** The Auth mails the mailbox holds for an address, newest first. */
const mailsTo = async (address: string) =>
  sql<{ subject: string; html: string; from: string }[]>`
    select message->>'subject' as subject, message->>'html' as html, message->>'from' as from
    from local_mail.messages where message->'to'->>0 = ${address.toLowerCase()} order by created_at desc, id desc`;

const tokenHashIn = (html: string) => new URL(emailLinkIn(html)).searchParams.get("token_hash")!;
const newAddress = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.com`;

/** A confirmed account, signed up and confirmed through its mailbox, and a signed-in client for it. */
async function confirmedUser(tag: string) {
  const email = newAddress(tag);
  await client().auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: `${APP}/auth/confirm` } });
  const [mail] = await mailsTo(email);
  const supabase = client();
  const { data, error } = await supabase.auth.verifyOtp({ token_hash: tokenHashIn(mail!.html), type: "email" });
  expect(error).toBeNull();
  return { email, supabase, session: data.session! };
}

beforeAll(async () => {
  database = await startTestDatabase();
  sql = postgres(database.url, { prepare: false, max: 4, onnotice: () => {} });
  storageDir = await mkdtemp(path.join(tmpdir(), "stepwise-storage-"));
  auth = await start();
});

afterAll(async () => {
  for (const emulator of emulators) await emulator.stop();
  await sql.end();
  await database.stop();
  await rm(storageDir, { recursive: true, force: true });
});

describe("signing up with confirmations on", () => {
  it("mails a link from the project's template and gives no session until it is followed", async () => {
    const email = newAddress("confirm");
    const { data, error } = await client().auth.signUp({
      email,
      password: PASSWORD,
      options: { emailRedirectTo: `${APP}/auth/confirm`, data: { full_name: "Ada" } },
    });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user).toMatchObject({ email, email_confirmed_at: null });

    const [mail] = await mailsTo(email);
    expect(mail!.subject).toBe("Confirm your Stepwise account");
    expect(mail!.from).toBe("Admin <admin@email.com>");
    expect(mail!.html).toContain("Hello Ada");
    const link = new URL(emailLinkIn(mail!.html));
    expect(`${link.origin}${link.pathname}`).toBe(`${APP}/auth/confirm`);
    expect(link.searchParams.get("type")).toBe("email");

    const signIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toMatchObject({ status: 400, code: "email_not_confirmed" });
    const [before] = await sql`select 1 from outbox_events where id = ${`signed-up-${data.user!.id}`}`;
    expect(before).toBeUndefined();

    const verified = await client().auth.verifyOtp({ token_hash: link.searchParams.get("token_hash")!, type: "email" });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.access_token).toBeTruthy();
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();
    // Confirming is what writes the welcome event (the outbox trigger on email_confirmed_at).
    const [after] = await sql`select name from outbox_events where id = ${`signed-up-${data.user!.id}`}`;
    expect(after).toEqual({ name: "user/signed.up" });

    const again = await client().auth.verifyOtp({ token_hash: link.searchParams.get("token_hash")!, type: "email" });
    expect(again.error).toMatchObject({ status: 403, code: "otp_expired" });
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  });

  it("answers a sign-up for a confirmed address as for a new one, and mails nothing", async () => {
    const { email } = await confirmedUser("taken");
    const before = (await mailsTo(email)).length;
    const { data, error } = await client().auth.signUp({ email, password: "someone else's password" });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user).toMatchObject({ email, email_confirmed_at: null });
    expect(await mailsTo(email)).toHaveLength(before);
    expect(
      (await client().auth.signInWithPassword({ email, password: "someone else's password" })).error,
    ).toMatchObject({ code: "invalid_credentials" });
  });

  it("takes the six-digit code instead of the link, and refuses a link once otp_expiry has passed", async () => {
    const config = readAuthConfig();
    const withCode = await start({ ...config, templates: { ...config.templates, confirmation: CODE_TEMPLATE } });
    const late = newAddress("late");
    await client(withCode.url).auth.signUp({ email: late, password: PASSWORD });
    clockAheadMs = (config.otpExpirySeconds + 1) * 1000;
    const expired = await client(withCode.url).auth.verifyOtp({
      token_hash: new URL(emailLinkIn((await mailsTo(late))[0]!.html)).searchParams.get("token")!,
      type: "signup",
    });
    clockAheadMs = 0;
    expect(expired.error).toMatchObject({ status: 403, code: "otp_expired" });

    const email = newAddress("code");
    await client(withCode.url).auth.signUp({ email, password: PASSWORD });
    const code = /Code: (\d+)/.exec((await mailsTo(email))[0]!.html)![1]!;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await client(withCode.url).auth.verifyOtp({
      email,
      token: code === "000000" ? "111111" : "000000",
      type: "email",
    });
    expect(wrong.error).toMatchObject({ status: 403, code: "otp_expired" });
    const right = await client(withCode.url).auth.verifyOtp({ email, token: code, type: "email" });
    expect(right.error).toBeNull();
    expect(right.data.session?.access_token).toBeTruthy();
  });

  it("follows GoTrue's default link: /verify redirects with the session in the fragment", async () => {
    const config = readAuthConfig();
    const plain = await start({ ...config, templates: { ...config.templates, confirmation: DEFAULT_CONFIRMATION } });
    const email = newAddress("verify-get");
    await client(plain.url).auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: `${APP}/welcome` } });
    const [mail] = await mailsTo(email);
    const response = await fetch(emailLinkIn(mail!.html), {
      redirect: "manual",
      headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY },
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${APP}/welcome`);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get("type")).toBe("signup");
    expect(fragment.get("access_token")).toBeTruthy();

    const reused = await fetch(emailLinkIn(mail!.html), {
      redirect: "manual",
      headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY },
    });
    const error = new URLSearchParams(new URL(reused.headers.get("location")!).hash.slice(1));
    expect(Object.fromEntries(error)).toMatchObject({ error: "access_denied", error_code: "otp_expired" });
  });
});

describe("password recovery", () => {
  it("answers the same for an unknown address, mails a known one, and limits a second mail to max_frequency", async () => {
    const unknown = newAddress("nobody");
    expect(await client().auth.resetPasswordForEmail(unknown)).toEqual({ data: {}, error: null });
    expect(await mailsTo(unknown)).toEqual([]);

    const { email } = await confirmedUser("forgot");
    const first = await client().auth.resetPasswordForEmail(email, { redirectTo: `${APP}/auth/confirm` });
    expect(first.error).toBeNull();
    const second = await client().auth.resetPasswordForEmail(email, { redirectTo: `${APP}/auth/confirm` });
    expect(second.error).toMatchObject({ status: 429, code: "over_email_send_rate_limit" });
    const [mail] = await mailsTo(email);
    expect(mail!.subject).toBe("Reset your Stepwise password");
    expect(new URL(emailLinkIn(mail!.html)).searchParams.get("type")).toBe("recovery");
  });

  it("signs in from the link, refuses the same password, sets a new one and ends the other sessions", async () => {
    const { email, session: otherDevice } = await confirmedUser("reset");
    await client().auth.resetPasswordForEmail(email, { redirectTo: `${APP}/auth/confirm` });
    const [mail] = await mailsTo(email);
    const supabase = client();
    const { data, error } = await supabase.auth.verifyOtp({ token_hash: tokenHashIn(mail!.html), type: "recovery" });
    expect(error).toBeNull();
    expect(data.session).toBeTruthy();

    const same = await supabase.auth.updateUser({ password: PASSWORD });
    expect(same.error).toMatchObject({ status: 422, code: "same_password" });
    const weak = await supabase.auth.updateUser({ password: "short" });
    expect(weak.error).toMatchObject({ status: 422, code: "weak_password" });
    const changed = await supabase.auth.updateUser({ password: "a brand new password" });
    expect(changed.error).toBeNull();

    expect((await client().auth.getUser(otherDevice.access_token)).error?.name).toBe("AuthSessionMissingError");
    expect((await client().auth.getUser(data.session!.access_token)).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toMatchObject({
      code: "invalid_credentials",
    });
    expect((await client().auth.signInWithPassword({ email, password: "a brand new password" })).error).toBeNull();
  });
});

describe("changing the address", () => {
  it("takes effect once both the old and the new mailbox have confirmed it, and the profile follows", async () => {
    const { email, supabase } = await confirmedUser("move");
    const taken = (await confirmedUser("occupied")).email;
    expect((await supabase.auth.updateUser({ email: taken })).error).toMatchObject({
      status: 422,
      code: "email_exists",
    });

    const next = newAddress("moved");
    const { data, error } = await supabase.auth.updateUser({ email: next }, { emailRedirectTo: `${APP}/auth/confirm` });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, new_email: next });
    const [toNew] = await mailsTo(next);
    const [toOld] = (await mailsTo(email)).filter((m) => m.subject.startsWith("Confirm your new email"));
    expect(toNew!.html).toContain(`from ${email} to ${next}`);

    const first = await client().auth.verifyOtp({ token_hash: tokenHashIn(toNew!.html), type: "email_change" });
    expect(first).toEqual({ data: { user: null, session: null }, error: null });
    const [halfway] = await sql`select email from auth.users where email_change = ${next}`;
    expect(halfway).toEqual({ email });

    const second = await client().auth.verifyOtp({ token_hash: tokenHashIn(toOld!.html), type: "email_change" });
    expect(second.error).toBeNull();
    expect(second.data.user?.email).toBe(next);
    const [profile] = await sql`select email from profiles where id = ${second.data.user!.id}`;
    expect(profile).toEqual({ email: next });
  });
});

describe("signing out", () => {
  it("ends every session with scope global, only this one with local, and refuses an unknown scope", async () => {
    const { email, session: first } = await confirmedUser("signout");
    const second = (await client().auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    const third = (await client().auth.signInWithPassword({ email, password: PASSWORD })).data.session!;

    const local = await fetch(`${auth.url}/auth/v1/logout?scope=local`, {
      method: "POST",
      headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY, authorization: `Bearer ${third.access_token}` },
    });
    expect(local.status).toBe(204);
    expect((await client().auth.getUser(third.access_token)).error?.name).toBe("AuthSessionMissingError");
    expect((await client().auth.getUser(first.access_token)).error).toBeNull();

    const bad = await fetch(`${auth.url}/auth/v1/logout?scope=everywhere`, {
      method: "POST",
      headers: { apikey: LOCAL_DEFAULTS.SUPABASE_ANON_KEY, authorization: `Bearer ${first.access_token}` },
    });
    expect(bad.status).toBe(400);

    const signedIn = client();
    await signedIn.auth.setSession({ access_token: second.access_token, refresh_token: second.refresh_token });
    expect((await signedIn.auth.signOut({ scope: "global" })).error).toBeNull();
    for (const session of [first, second])
      expect((await client().auth.getUser(session.access_token)).error?.name).toBe("AuthSessionMissingError");
  });
});

describe("GoTrue's rate limits, from [auth.rate_limit]", () => {
  it("refuses an address's 31st sign-up or recovery in a burst, then refills at sign_in_sign_ups per 5 minutes", async () => {
    const limited = await start({
      ...readAuthConfig(),
      rateLimits: { ...readAuthConfig().rateLimits, signInSignUps: 6 },
    });
    const from = (address: string) => client(limited.url, { "x-forwarded-for": `${address}, 10.0.0.1` });
    for (let i = 0; i < 30; i++)
      expect((await from("203.0.113.9").auth.resetPasswordForEmail(newAddress("n"))).error).toBeNull();
    const refused = await from("203.0.113.9").auth.resetPasswordForEmail(newAddress("n"));
    expect(refused.error).toMatchObject({ status: 429, code: "over_request_rate_limit" });
    expect((await from("198.51.100.4").auth.resetPasswordForEmail(newAddress("n"))).error).toBeNull();
    clockAheadMs = 50_000; // 6 per 5 minutes: one more after 50 s
    expect((await from("203.0.113.9").auth.resetPasswordForEmail(newAddress("n"))).error).toBeNull();
    expect((await from("203.0.113.9").auth.resetPasswordForEmail(newAddress("n"))).error).toMatchObject({
      status: 429,
    });
    clockAheadMs = 0;
  });

  it("limits /verify by token_verifications and the password grant by token_refresh", async () => {
    const config = readAuthConfig();
    const limited = await start({
      ...config,
      rateLimits: { ...config.rateLimits, tokenVerifications: 1, tokenRefresh: 1 },
    });
    const from = client(limited.url, { "x-forwarded-for": "192.0.2.44" });
    for (let i = 0; i < 30; i++) await from.auth.verifyOtp({ token_hash: "nothing", type: "email" });
    expect((await from.auth.verifyOtp({ token_hash: "nothing", type: "email" })).error).toMatchObject({
      status: 429,
      code: "over_request_rate_limit",
    });
    for (let i = 0; i < 30; i++) await from.auth.signInWithPassword({ email: "x@example.com", password: "wrong one" });
    expect((await from.auth.signInWithPassword({ email: "x@example.com", password: "wrong one" })).error).toMatchObject(
      { status: 429, code: "over_request_rate_limit" },
    );
  });

  it("counts mail against email_sent per hour once the project has its own SMTP server", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "stepwise-auth-config-"));
    await writeFile(
      path.join(dir, "config.toml"),
      `[auth]\nsite_url = "${APP}"\n[auth.rate_limit]\nemail_sent = 2\n[auth.email]\nenable_confirmations = true\nmax_frequency = "1m"\n[auth.email.smtp]\nenabled = true\nadmin_email = "auth@stepwise.test"\nsender_name = "Stepwise"\n`,
    );
    const config = readAuthConfig(path.join(dir, "config.toml"));
    expect(config).toMatchObject({ maxFrequencySeconds: 60, sender: "Stepwise <auth@stepwise.test>" });
    expect(config.rateLimits).toEqual({
      emailSentPerHour: 2,
      signInSignUps: 30,
      tokenVerifications: 30,
      tokenRefresh: 150,
    });
    expect(readAuthConfig().rateLimits.emailSentPerHour).toBeNull();
    await rm(dir, { recursive: true, force: true });

    const smtp = await start(config);
    const sent = [newAddress("mail"), newAddress("mail")];
    for (const email of sent)
      expect((await client(smtp.url).auth.signUp({ email, password: PASSWORD })).error).toBeNull();
    const third = newAddress("mail");
    const refused = await client(smtp.url).auth.signUp({ email: third, password: PASSWORD });
    expect(refused.error).toMatchObject({ status: 429, code: "over_email_send_rate_limit" });
    // GoTrue creates the user and mails it in one transaction: a refused mail leaves no account behind.
    expect(await sql`select 1 from auth.users where email = ${third}`).toHaveLength(0);
    clockAheadMs = 3600_000;
    expect((await client(smtp.url).auth.signUp({ email: third, password: PASSWORD })).error).toBeNull();
    clockAheadMs = 0;
  });
});

const CODE_TEMPLATE = {
  subject: "Your code",
  content: `<p>Code: {{ .Token }}</p><p><a href="{{ .ConfirmationURL }}">Confirm</a></p>`,
};

const DEFAULT_CONFIRMATION = {
  subject: "Confirm your email address",
  content: `<p><a href="{{ .ConfirmationURL }}">Confirm email address</a></p>`,
};
