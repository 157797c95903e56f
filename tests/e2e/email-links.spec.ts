import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { linkInMailbox, MAILBOX_URL, signUp } from "./support/journeys";

// The journeys that go through the mailbox, confirming an address and resetting a password, and being told when
// to try again after too many sign-in attempts.

const PASSWORD = "a good long password";
const EXECUTOR_URL = "http://127.0.0.1:8288";

/** Opens the mailbox page for `email`, picks the mail with `subject`, and returns the href of its link `name`. */
async function linkFromMailboxPage(page: Page, email: string, subject: string, name: string): Promise<string> {
  await expect(async () => {
    await page.goto(`${MAILBOX_URL}/?to=${encodeURIComponent(email)}`);
    await page.getByRole("link", { name: subject }).first().click({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  // The message's HTML is shown in a sandboxed frame, where links do not navigate: read the link's address.
  const href = await page.frameLocator("iframe[title='HTML body']").getByRole("link", { name }).getAttribute("href");
  return href!;
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}

test("confirming an address: sign up, follow the link in the mailbox, land signed in with the welcome on its way", async ({
  page,
}) => {
  const email = `confirm-${randomUUID().slice(0, 8)}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Lin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password (8+ characters)").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: email })).toBeVisible();

  // Until the address is confirmed it cannot sign in, and the page offers to send the link again.
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText(
    `Confirm your email address first: follow the link we sent to ${email}.`,
  );
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByRole("status").filter({ hasText: "a new link is on its way" })).toBeVisible();

  const link = await linkFromMailboxPage(page, email, "Confirm your Stepwise account", "Confirm my email address");
  await page.goto(link);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page).toHaveURL(/\/shop\?welcome=1$/);
  await expect(page.getByText("Welcome to Stepwise! Your welcome email is on its way.")).toBeVisible();
  await linkInMailbox(page, email, "Welcome to Stepwise");

  // The link works once.
  await page.goto(link);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("alert")).toContainText("This link has expired or has already been used.");
});

test("resetting a password from the link in the mailbox", async ({ page }) => {
  const email = await signUp(page, "Reset");
  await signOut(page);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status").filter({ hasText: `If ${email} has a Stepwise account` })).toBeVisible();

  await page.goto(await linkFromMailboxPage(page, email, "Reset your Stepwise password", "Choose a new password"));
  await page.getByRole("button", { name: "Choose a new password" }).click();
  await expect(page).toHaveURL(/\/reset-password$/);
  await page.getByLabel("New password (8+ characters)").fill(PASSWORD);
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByRole("alert")).toHaveText("That is your current password. Choose a different one.");
  await page.getByLabel("New password (8+ characters)").fill("a newer longer password");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByText("Your password is changed, and every other device is signed out.")).toBeVisible();

  await signOut(page);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");
  await page.getByLabel("Password").fill("a newer longer password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/shop/);
});

test("too many sign-in attempts: the form says when to try again", async ({ page }) => {
  const email = await signUp(page, "Guess");
  await signOut(page);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  const attempt = async (password: string) => {
    await page.getByLabel("Password").fill(password);
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes("/login")),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
  };
  for (let guess = 1; guess <= 10; guess++) {
    await attempt(`wrong guess ${guess}`);
    await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");
  }
  // Even the right password waits now: the account's allowance is spent.
  await attempt(PASSWORD);
  await expect(page.getByRole("alert")).toHaveText(/^Too many attempts\. Try again in \d+ (minutes?|seconds?)\.$/);
  await expect(page).toHaveURL(/\/login/);
});

test("unsubscribing from the link in a digest, without signing in", async ({ page }) => {
  const email = await signUp(page, "Reader");
  await signOut(page);
  // The 09:00 cron, fired now from the executor's API as its dashboard's "invoke" does.
  const invoked = await page.request.post(`${EXECUTOR_URL}/api/functions/stepwise-daily-digest/invoke`, {
    data: { data: {} },
  });
  expect(invoked.ok()).toBe(true);

  await expect(async () => {
    await page.goto(`${MAILBOX_URL}/?to=${encodeURIComponent(email)}`);
    await page.getByRole("link", { name: /^Your Stepwise digest/ }).click({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText('"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"')).toBeVisible();
  const href = await page
    .frameLocator("iframe[title='HTML body']")
    .getByRole("link", { name: "Stop the daily digest" })
    .getAttribute("href");

  await page.goto(href!);
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByRole("status").filter({ hasText: "you will get no more of the daily digest" })).toBeVisible();

  await page.goto("/login?redirectTo=%2Fsettings");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByText("You get getting-started tips.")).toBeVisible();
  await expect(page.getByLabel("Daily digest at 09:00 UTC")).not.toBeChecked();
});
