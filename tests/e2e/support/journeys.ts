import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect } from "./test";

export const MAILBOX_URL = "http://127.0.0.1:54324";

/** Signs a new user up through the page, as a person would, and returns their email. */
export async function signUp(page: Page, name = "Test Buyer"): Promise<string> {
  const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password (8+ characters)").fill("a good long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/shop/);
  return email;
}

/** Buys one of a product on the shop page with the chosen test card and waits for its order page. */
export async function buy(
  page: Page,
  product: string,
  card: "Visa ending 4242 (test)" | "Card that is declined (test)" = "Visa ending 4242 (test)",
) {
  await page.goto("/shop");
  const form = page.getByRole("form", { name: `Buy ${product}` });
  await form.getByLabel("Card").selectOption({ label: card });
  await form.getByRole("button").click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
}
