import type { Page } from "@playwright/test";
import postgres from "postgres";
import Stripe from "stripe";
import { LOCAL_DEFAULTS } from "../../contracts/local-defaults";
import { MAILBOX_URL, signUp } from "./support/journeys";
import { expect, test } from "./support/test";

const base = new URL(LOCAL_DEFAULTS.STRIPE_API_BASE);
const stripe = new Stripe(LOCAL_DEFAULTS.STRIPE_SECRET_KEY, {
  host: base.hostname,
  port: Number(base.port),
  protocol: "http",
});

/** Opens the pricing page once the catalogue's webhooks have filled it, and subscribes to a plan. */
async function startSubscription(page: Page, plan = "Stepwise Pro") {
  await expect(async () => {
    await page.goto("/pricing");
    await expect(page.getByRole("heading", { name: plan })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole("button", { name: `Subscribe to ${plan}` }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:12111\/checkout\/cs_test_/);
}

/** Fills the hosted Checkout page's card fields as a customer types them. */
async function enterCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Subscribe" }).click();
}

async function expectActive(page: Page, plan = "Stepwise Pro") {
  await expect(page).toHaveURL(/\/billing\/success/);
  await expect(page.getByText(`Your ${plan} subscription is active.`)).toBeVisible({ timeout: 30_000 });
  await page.getByRole("link", { name: "Back to billing" }).click();
  await expect(page.getByTestId("subscription-status")).toHaveText("active");
}

/** Reloads the billing page until the webhook workflow has applied what Stripe changed. */
async function billingShows(page: Page, testId: string, text: RegExp | string) {
  await expect(async () => {
    await page.goto("/billing");
    await expect(page.getByTestId(testId)).toHaveText(text, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

test("subscribe with 4242, switch plan in the Customer Portal, and cancel at the period's end", async ({ page }) => {
  await signUp(page);
  await startSubscription(page);
  await expect(page.getByLabel("Card number")).toHaveValue("");
  await enterCard(page, "4242 4242 4242 4242");
  await expectActive(page);

  await page.getByRole("link", { name: "Manage billing" }).click();
  await expect(page).toHaveURL(/\/p\/session\/bps_/);
  await page.getByLabel(/Stepwise Team — 30\.00 USD \/ month/).check();
  await page.getByRole("button", { name: "Switch plan" }).click();
  await expect(page.getByText("Your plan was updated.")).toBeVisible();
  await page.getByRole("link", { name: "Return to Stepwise" }).click();
  await billingShows(page, "subscription-plan", "Stepwise Team");

  await page.getByRole("link", { name: "Manage billing" }).click();
  await page.getByRole("button", { name: "Cancel at period end" }).click();
  await expect(page.getByText(/^Cancels on \d\d\/\d\d\/\d{4}$/)).toBeVisible();
  const date = (await page.getByText(/^Cancels on /).textContent())!.replace("Cancels on ", "");
  await billingShows(page, "subscription-renewal", `Cancels on ${date}`);

  // Subscribing again while the subscription is live leads to the portal, not to a second subscription.
  await page.goto("/pricing");
  await page.getByRole("button", { name: "Subscribe to Stepwise Pro" }).click();
  await expect(page).toHaveURL(/\/p\/session\/bps_/);
});

test("Checkout shows Stripe's card errors, and 3155 asks for authentication that can fail or pass", async ({
  page,
}) => {
  await signUp(page);
  await startSubscription(page);
  await enterCard(page, "4000 0000 0000 0002");
  await expect(page.getByRole("alert")).toHaveText("Your card was declined.");
  await enterCard(page, "4000 0000 0000 9995");
  await expect(page.getByRole("alert")).toHaveText("Your card has insufficient funds.");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiration (MM / YY)").fill("01 / 20");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("alert")).toHaveText("Your card's expiration year is in the past.");

  await enterCard(page, "4000 0025 0000 3155");
  await page.getByRole("button", { name: "Fail authentication" }).click();
  await expect(page.getByRole("alert")).toHaveText(
    "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
  );
  await enterCard(page, "4000 0025 0000 3155");
  await page.getByRole("button", { name: "Complete authentication" }).click();
  await expectActive(page);
});

test("a renewal on a test clock with a failing card turns past_due and sends the dunning email", async ({ page }) => {
  const email = await signUp(page);
  // Arrange as one does against Stripe test mode: the customer is created on a test clock, then tied to the user.
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
  const customer = await stripe.customers.create({ email, test_clock: clock.id });
  const sql = postgres(LOCAL_DEFAULTS.DATABASE_URL, { prepare: false, max: 1, onnotice: () => {} });
  await sql`insert into stripe_customers (user_id, stripe_customer_id)
    select id, ${customer.id} from profiles where email = ${email}`;
  await sql.end();

  await startSubscription(page);
  await enterCard(page, "4242 4242 4242 4242");
  await expectActive(page);
  await page.getByRole("link", { name: "Manage billing" }).click();
  await enterPortalCard(page, "4000 0000 0000 0341");
  await expect(page.getByText("Your card was replaced.")).toBeVisible();

  await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: clock.frozen_time + 32 * 86_400 });
  await billingShows(page, "subscription-status", "past_due");
  await expect(page.getByRole("alert")).toContainText("Your last payment failed.");
  await expect(async () => {
    await page.goto(`${MAILBOX_URL}/?to=${encodeURIComponent(email)}`);
    await expect(page.getByRole("heading", { name: /Your Stepwise payment failed/ })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const link = page.frameLocator("iframe[title='HTML body']").getByRole("link", { name: "Update your card" });
  await expect(link).toHaveAttribute("href", "http://localhost:3000/billing/portal");
});

async function enterPortalCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Replace card" }).click();
}

test("deleting the account cancels its subscription in Stripe", async ({ page }) => {
  const email = await signUp(page);
  await startSubscription(page);
  await enterCard(page, "4242 4242 4242 4242");
  await expectActive(page);

  await page.goto("/settings");
  await page.getByLabel(`Type ${email} to confirm`).fill(email);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).not.toHaveURL(/\/settings/);

  const subscriptions = await stripe.subscriptions.list({ status: "all", limit: 100 });
  const customers = await Promise.all(
    subscriptions.data.map(async (s) => (await stripe.customers.retrieve(String(s.customer))) as Stripe.Customer),
  );
  const theirs = subscriptions.data.filter((_, i) => customers[i]!.email === email);
  expect(theirs.map((s) => s.status)).toEqual(["canceled"]);
});
