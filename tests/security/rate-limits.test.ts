import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";
import { RATE_LIMITS, retryAfterInWords, type RateLimitedAction } from "../../app/rate-limits/rate-limits";
import { call, formRequest, getRequest, PASSWORD, signIn, signUpAndSignIn, type SignedInUser } from "./signed-in";

// What can be abused has a limit the app keeps in Postgres, per account and per client address, and a refused
// request says when to try again: a form error with the time, status 429 and Retry-After.

const stack = startForFile(startTestStack);
let user: SignedInUser;

const routes = {
  shop: () => import("../../app/routes/shop"),
  signup: () => import("../../app/routes/signup"),
  forgotPassword: () => import("../../app/routes/forgot-password"),
  documents: () => import("../../app/routes/documents"),
  upload: () => import("../../app/routes/documents.upload"),
  pricing: () => import("../../app/routes/pricing"),
};
const url = (path: string) => `${stack.appUrl}${path}`;

/** Uses up `account`'s allowance for `action`, as that many earlier requests would have. */
async function useUpAllowance(action: RateLimitedAction, account: string) {
  const { checkRateLimit } = await import("../../app/rate-limits/check-rate-limit.server");
  const request = new Request(url("/"));
  for (let i = 0; i < RATE_LIMITS[action].account.limit; i++) await checkRateLimit(action, request, account);
}

function expectRetryAfter(response: Response, windowSeconds: number) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

beforeAll(async () => {
  user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
});

describe("signing in", () => {
  it("stops guessing an account's password after 10 tries, even with the right one, and says when to retry", async () => {
    const target = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    const { limit, windowSeconds } = RATE_LIMITS["sign-in"].account;
    for (let i = 1; i < limit; i++) {
      expect((await signIn(stack.appUrl, target.email, `guess number ${i}`)).status).toBe(400);
    }
    const refused = await signIn(stack.appUrl, target.email, PASSWORD);
    expectRetryAfter(refused, windowSeconds);
    // The window is fixed, so the wait is whatever is left of it: minutes, or seconds near its end.
    const wait = Number(refused.headers.get("retry-after"));
    expect(((await refused.json()) as { error: string }).error).toBe(
      `Too many attempts. Try again in ${retryAfterInWords(wait)}.`,
    );
    expect(refused.headers.getSetCookie()).toEqual([]);
  });
});

describe("signing up", () => {
  const signUpFrom = async (address: string) =>
    call(
      (await routes.signup()).action,
      new Request(url("/signup"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-nf-client-connection-ip": address },
        body: new URLSearchParams({
          name: "Limit",
          email: `limit-${randomUUID().slice(0, 8)}@example.com`,
          password: PASSWORD,
        }),
      }),
    );

  it("takes 10 accounts an hour from one address, then refuses with the time to wait; another address goes on", async () => {
    const { limit, windowSeconds } = RATE_LIMITS["sign-up"].address;
    for (let i = 0; i < limit; i++) expect((await signUpFrom("203.0.113.7")).status).toBe(200);
    const refused = await signUpFrom("203.0.113.7");
    expectRetryAfter(refused, windowSeconds);
    expect(await refused.json()).toMatchObject({ errors: { form: expect.stringMatching(/^Too many attempts/) } });
    expect((await signUpFrom("198.51.100.20")).status).toBe(200);
  });
});

describe("asking for a password reset", () => {
  const resetFor = async (email: string, address = "192.0.2.10") =>
    call(
      (await routes.forgotPassword()).action,
      new Request(url("/forgot-password"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-nf-client-connection-ip": address },
        body: new URLSearchParams({ email }),
      }),
    );
  const resetMails = async (email: string) =>
    (await stack.mailTo(email)).filter((mail) => mail.subject === "Reset your Stepwise password");

  it("mails one account 3 links an hour, then refuses with the time to wait, and says so for any address", async () => {
    const target = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    const { limit, windowSeconds } = RATE_LIMITS.reset.account;
    for (let i = 0; i < limit; i++) {
      expect((await resetFor(target.email.toUpperCase(), `192.0.2.${20 + i}`)).status).toBe(200);
      // Auth itself sends one mail per address per max_frequency (1 s).
      await stack.stack.sql`update auth.users set recovery_sent_at = recovery_sent_at - interval '1 minute'
        where email = ${target.email}`;
    }
    expect(await resetMails(target.email)).toHaveLength(limit);
    const refused = await resetFor(target.email, "192.0.2.99");
    expectRetryAfter(refused, windowSeconds);
    expect(await refused.json()).toMatchObject({ error: expect.stringMatching(/^Too many attempts. Try again in /) });
    expect(await resetMails(target.email)).toHaveLength(limit);
    // An address with no account is counted the same way, so the refusal tells nothing about accounts.
    const nobody = `nobody-${randomUUID().slice(0, 8)}@example.com`;
    for (let i = 0; i < limit; i++) expect((await resetFor(nobody, `192.0.2.${40 + i}`)).status).toBe(200);
    expect((await resetFor(nobody, "192.0.2.98")).status).toBe(429);
  });

  it("takes 10 requests an hour from one client address, whatever accounts they name", async () => {
    const { limit, windowSeconds } = RATE_LIMITS.reset.address;
    for (let i = 0; i < limit; i++)
      expect((await resetFor(`many-${randomUUID().slice(0, 8)}@example.com`, "203.0.113.50")).status).toBe(200);
    expectRetryAfter(await resetFor(`many-${randomUUID().slice(0, 8)}@example.com`, "203.0.113.50"), windowSeconds);
    expect((await resetFor(`many-${randomUUID().slice(0, 8)}@example.com`, "203.0.113.51")).status).toBe(200);
  });
});

describe("a signed-in user who has used up an allowance", () => {
  it("places no more orders", async () => {
    await useUpAllowance("order", user.id);
    const [product] = await stack.stack.sql<{ id: string }[]>`select id from products limit 1`;
    const response = await call(
      (await routes.shop()).action,
      formRequest(url("/shop"), { productId: product!.id, quantity: "1" }, user.cookie),
    );
    expectRetryAfter(response, RATE_LIMITS.order.account.windowSeconds);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/^Too many attempts/) });
    expect(await stack.stack.sql`select 1 from orders where user_id = ${user.id}`).toHaveLength(0);
  });

  it("searches no more, and the page says when it can again", async () => {
    await useUpAllowance("search", user.id);
    const response = await call((await routes.documents()).loader, getRequest(url("/documents?q=tides"), user.cookie));
    expectRetryAfter(response, RATE_LIMITS.search.account.windowSeconds);
    expect(await response.json()).toMatchObject({
      results: null,
      searchError: expect.stringMatching(/^Too many attempts\. Try again in .+\.$/),
    });
  });

  it("uploads no more, and nothing is stored", async () => {
    await useUpAllowance("upload", user.id);
    const form = new FormData();
    form.set(
      "file",
      new File([await readFile("tests/fixtures/pdfs/handbook.pdf")], "Handbook.pdf", { type: "application/pdf" }),
    );
    const response = await call(
      (await routes.upload()).action,
      new Request(url("/documents/upload"), { method: "POST", headers: { cookie: user.cookie }, body: form }),
    );
    expectRetryAfter(response, RATE_LIMITS.upload.account.windowSeconds);
    expect(await stack.stack.sql`select 1 from documents where user_id = ${user.id}`).toHaveLength(0);
    expect(await stack.stack.sql`select 1 from storage.objects where owner = ${user.id}`).toHaveLength(0);
  });

  it("opens no more Checkout sessions", async () => {
    await useUpAllowance("subscribe", user.id);
    const response = await call(
      (await routes.pricing()).action,
      formRequest(url("/pricing"), { priceId: "price_any" }, user.cookie),
    );
    expectRetryAfter(response, RATE_LIMITS.subscribe.account.windowSeconds);
    expect(await response.text()).toMatch(/^Too many attempts\. Try again in/);
  });

  it("opens no more card setups in Checkout", async () => {
    await useUpAllowance("save-card", user.id);
    const sessionsBefore = await stack.stack.sql`select 1 from local_stripe.objects where type = 'checkout.session'`;
    const response = await call(
      (await routes.shop()).action,
      formRequest(url("/shop"), { intent: "save-card" }, user.cookie),
    );
    expectRetryAfter(response, RATE_LIMITS["save-card"].account.windowSeconds);
    expect(await response.text()).toMatch(/^Too many attempts\. Try again in/);
    expect(await stack.stack.sql`select 1 from local_stripe.objects where type = 'checkout.session'`).toHaveLength(
      sessionsBefore.length,
    );
  });
});
