import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { emailLinkIn } from "../support/email-links";
import { startForFile } from "../support/start-for-file";
import {
  call,
  CONFIRMATION_SUBJECT,
  cookieHeaderFrom,
  followConfirmationLink,
  formRequest,
  getRequest,
  PASSWORD,
  signIn,
  signUpAndSignIn,
  type SignedInUser,
} from "./signed-in";

// The account flows people expect from Supabase Auth, through the app's own routes: confirming the address from
// the mailbox before anything else is mailed, forgotten passwords, a new address confirmed from both mailboxes,
// a new password, and signing out everywhere. Neither sign-up nor reset tells whether an address has an account.

const stack = startForFile(startTestStack);
const routes = {
  signup: () => import("../../app/routes/signup"),
  confirm: () => import("../../app/routes/auth.confirm"),
  forgot: () => import("../../app/routes/forgot-password"),
  reset: () => import("../../app/routes/reset-password"),
  settings: () => import("../../app/routes/settings"),
  login: () => import("../../app/routes/login"),
};
const url = (path: string) => `${stack.appUrl}${path}`;
const newAddress = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.com`;
const subjectsTo = async (address: string) => (await stack.mailTo(address)).map((mail) => mail.subject);

const signUp = async (email: string, password = PASSWORD) =>
  call((await routes.signup()).action, formRequest(url("/signup"), { name: "Flow", email, password }));

/** Whether the session in `cookie` may still change something (POSTs are confirmed with Auth). */
async function sessionStillWorks(cookie: string): Promise<boolean> {
  const { getUser } = await import("../../app/auth/require-user.server");
  return (await getUser(formRequest(url("/settings"), { intent: "preferences" }, cookie))) !== null;
}

let owner: SignedInUser;
beforeAll(async () => {
  owner = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
}, 60_000);

describe("signing up", () => {
  it("mails only the confirmation link, and the welcome once it is followed", async () => {
    const email = newAddress("fresh");
    const answer = await signUp(email);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ sentTo: email });
    expect(answer.headers.getSetCookie()).toEqual([]);
    await stack.inngest.waitUntilIdle();
    expect(await subjectsTo(email)).toEqual([CONFIRMATION_SUBJECT]);
    const [profile] = await stack.stack.sql`select email_confirmed from profiles where email = ${email}`;
    expect(profile).toEqual({ email_confirmed: false });

    const confirmed = await followConfirmationLink(stack.mailTo, email);
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe("/shop?welcome=1");
    expect(cookieHeaderFrom(confirmed)).toMatch(/sb-[\w-]+-auth-token/);
    await stack.inngest.waitUntilIdle();
    expect((await subjectsTo(email)).sort()).toEqual([CONFIRMATION_SUBJECT, "Welcome to Stepwise"]);
  });

  it("answers a sign-up for an address with an account exactly as for a new one, and mails its owner nothing", async () => {
    const before = await subjectsTo(owner.email);
    const taken = await signUp(owner.email, "someone else's password");
    const fresh = await signUp(newAddress("other"));
    expect(taken.status).toBe(fresh.status);
    expect(Object.keys(await taken.json())).toEqual(Object.keys(await fresh.json()));
    expect(await subjectsTo(owner.email)).toEqual(before);
  });

  it("shows a link's page without spending it; the button confirms it once", async () => {
    const email = newAddress("scanner");
    await signUp(email);
    const mail = (await stack.mailTo(email)).find((m) => m.subject === CONFIRMATION_SUBJECT)!;
    const link = emailLinkIn(mail.html);
    const page = await call((await routes.confirm()).loader, getRequest(link));
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ button: "Confirm my email address" });
    const [stillWaiting] = await stack.stack.sql`select email_confirmed_at from auth.users where email = ${email}`;
    expect(stillWaiting!.email_confirmed_at).toBeNull();

    expect((await call((await routes.confirm()).action, new Request(link, { method: "POST" }))).status).toBe(302);
    const again = await call((await routes.confirm()).action, new Request(link, { method: "POST" }));
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: expect.stringContaining("expired or has already been used") });
  });

  it("refuses to sign in an unconfirmed address, saying why, and sends the link again on request", async () => {
    const email = newAddress("waiting");
    await signUp(email);
    const refused = await signIn(stack.appUrl, email, PASSWORD);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      unconfirmed: true,
      error: expect.stringContaining("Confirm your email"),
    });
    await stack.stack
      .sql`update auth.users set confirmation_sent_at = now() - interval '1 minute' where email = ${email}`;
    const resent = await call(
      (await routes.login()).action,
      formRequest(url("/login"), { intent: "resend-confirmation", email }),
    );
    expect(await resent.json()).toMatchObject({ resent: email });
    expect((await subjectsTo(email)).filter((s) => s === CONFIRMATION_SUBJECT)).toHaveLength(2);
  });
});

describe("a forgotten password", () => {
  const forgot = async (email: string) =>
    call((await routes.forgot()).action, formRequest(url("/forgot-password"), { email }));

  it("answers the same for an address with an account and one without, and mails only the account", async () => {
    const nobody = newAddress("nobody");
    const known = await forgot(owner.email);
    const unknown = await forgot(nobody);
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(await known.json()).toEqual({ sentTo: owner.email });
    expect(await unknown.json()).toEqual({ sentTo: nobody });
    expect(await subjectsTo(nobody)).toEqual([]);
    expect(await subjectsTo(owner.email)).toContain("Reset your Stepwise password");
    // A second request within Auth's max_frequency gets the same answer too (Auth sends nothing).
    expect(await (await forgot(owner.email)).json()).toEqual({ sentTo: owner.email });
  });

  it("signs in from the link, takes a new password, and ends the sessions signed in before", async () => {
    const user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    await forgot(user.email);
    const mail = (await stack.mailTo(user.email)).find((m) => m.subject === "Reset your Stepwise password")!;
    const confirmed = await call(
      (await routes.confirm()).action,
      new Request(emailLinkIn(mail.html), { method: "POST" }),
    );
    expect(confirmed.headers.get("location")).toBe("/reset-password");
    const recovery = cookieHeaderFrom(confirmed);

    const short = await call(
      (await routes.reset()).action,
      formRequest(url("/reset-password"), { password: "short" }, recovery),
    );
    expect(short.status).toBe(400);
    expect(await short.json()).toEqual({ error: "Use at least 8 characters." });
    const done = await call(
      (await routes.reset()).action,
      formRequest(url("/reset-password"), { password: "an entirely new password" }, recovery),
    );
    expect(done.status).toBe(302);
    expect(await sessionStillWorks(user.cookie)).toBe(false);
    expect((await signIn(stack.appUrl, user.email, "an entirely new password")).status).toBe(302);
  });
});

describe("settings", () => {
  const settings = async (fields: Record<string, string>, cookie: string) =>
    call((await routes.settings()).action, formRequest(url("/settings"), fields, cookie));

  it("moves the account to a new address once both mailboxes confirm, and mail follows it", async () => {
    const user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    const next = newAddress("moved");
    const same = await settings({ intent: "change-email", email: user.email.toUpperCase() }, user.cookie);
    expect(await same.json()).toEqual({ emailError: "That is already your address." });
    const taken = await settings({ intent: "change-email", email: owner.email }, user.cookie);
    expect(await taken.json()).toEqual({ emailError: "Another account uses that address." });

    expect((await settings({ intent: "change-email", email: next }, user.cookie)).status).toBe(302);
    const linkTo = async (address: string) =>
      emailLinkIn((await stack.mailTo(address)).find((m) => m.subject.startsWith("Confirm your new email"))!.html);
    const first = await call((await routes.confirm()).action, new Request(await linkTo(next), { method: "POST" }));
    expect(await first.json()).toEqual({
      message: expect.stringContaining("Now follow the link we sent to your other"),
    });
    const [unchanged] = await stack.stack.sql`select email from profiles where id = ${user.id}`;
    expect(unchanged).toEqual({ email: user.email });

    const second = await call(
      (await routes.confirm()).action,
      new Request(await linkTo(user.email), { method: "POST" }),
    );
    expect(second.headers.get("location")).toBe("/settings");
    const [moved] = await stack.stack.sql`select email from profiles where id = ${user.id}`;
    expect(moved).toEqual({ email: next });
    expect((await signIn(stack.appUrl, next, PASSWORD)).status).toBe(302);
  });

  it("changes the password and signs out the other devices, keeping this one", async () => {
    const user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    const other = cookieHeaderFrom(await signIn(stack.appUrl, user.email, PASSWORD));
    const same = await settings({ intent: "change-password", password: PASSWORD }, user.cookie);
    expect(same.status).toBe(400);
    expect(await same.json()).toEqual({ passwordError: "That is your current password. Choose a different one." });
    const changed = await settings({ intent: "change-password", password: "another good password" }, user.cookie);
    expect(changed.status).toBe(302);
    expect(await sessionStillWorks(other)).toBe(false);
    expect(await sessionStillWorks(user.cookie)).toBe(true);
  });

  it("signs out everywhere: every session of the account ends, this one too", async () => {
    const user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    const other = cookieHeaderFrom(await signIn(stack.appUrl, user.email, PASSWORD));
    const answer = await settings({ intent: "sign-out-everywhere" }, user.cookie);
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe("/login");
    expect(await sessionStillWorks(other)).toBe(false);
    expect(await sessionStillWorks(user.cookie)).toBe(false);
    const [sessions] = await stack.stack.sql<{ n: number }[]>`
      select count(*)::int as n from auth.sessions where user_id = ${user.id}`;
    expect(sessions!.n).toBe(0);
  });
});
