import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { emailLinkIn } from "../../support/email-links";
import { expect } from "./test";

export const MAILBOX_URL = "http://127.0.0.1:54324";

/**
 * Signs a new user up through the page, as a person would, confirms the address from the link in the mailbox and
 * lands signed in on the shop; returns their email.
 */
export async function signUp(page: Page, name = "Test Buyer"): Promise<string> {
  const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password (8+ characters)").fill("a good long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await page.goto(await linkInMailbox(page, email, "Confirm your Stepwise account"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page).toHaveURL(/\/shop/);
  return email;
}

/** The link in the newest mail with `subject` to `email`, read from the mailbox's JSON inbox (it may take a moment). */
export async function linkInMailbox(page: Page, email: string, subject: string): Promise<string> {
  let link = "";
  await expect(async () => {
    const response = await page.request.get(`${MAILBOX_URL}/api/messages?to=${encodeURIComponent(email)}`);
    const { data } = (await response.json()) as { data: Array<{ subject: string; html: string }> };
    const mail = data.find((message) => message.subject === subject);
    expect(mail, `a mail "${subject}" to ${email}`).toBeTruthy();
    link = emailLinkIn(mail!.html);
  }).toPass({ timeout: 15_000 });
  return link;
}

/**
 * Saves a card for the shop's orders as a customer does: "Save a card" opens Stripe Checkout in setup mode, the
 * card is entered there (and authenticated on the bank's page when its bank asks), and the shop shows it.
 */
export async function saveCard(page: Page, number = "4242 4242 4242 4242", { bankAsks = false } = {}) {
  await page.goto("/shop");
  await page.getByRole("button", { name: /^(Save a card|Use another card)$/ }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:12111\/checkout\/cs_test_/);
  await expect(page.getByRole("heading", { name: "Save a card for future payments" })).toBeVisible();
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Save card" }).click();
  if (bankAsks) await page.getByRole("button", { name: "Complete authentication" }).click();
  await expect(page).toHaveURL(/\/shop$/);
  await expect(page.getByTestId("saved-card")).toContainText(`ending ${number.replace(/\D/g, "").slice(-4)}`);
}

/** Buys one of a product on the shop page, charged to the card saved before, and waits for its order page. */
export async function buy(page: Page, product: string) {
  await page.goto("/shop");
  const form = page.getByRole("form", { name: `Buy ${product}` });
  await form.getByRole("button").click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
}
