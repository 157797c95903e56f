import { expect, test } from "./support/test";
import { MAILBOX_URL, signUp } from "./support/journeys";

test("signing up shows the shop and the welcome email arrives in the mailbox", async ({ page }) => {
  const email = await signUp(page, "Grace");
  await expect(page.getByText("Welcome to Stepwise! Your welcome email is on its way.")).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  await expect(async () => {
    await page.goto(`${MAILBOX_URL}/?to=${encodeURIComponent(email)}`);
    await expect(page.getByRole("heading", { name: "Welcome to Stepwise" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.frameLocator("iframe[title='HTML body']").getByText("Welcome to Stepwise, Grace!")).toBeVisible();
});

test("the forms explain what to fix", async ({ page }) => {
  const email = await signUp(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();

  await page.goto("/signup");
  await page.getByLabel("Name").fill("Someone");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password (8+ characters)").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await page.getByLabel("Password (8+ characters)").fill("long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  // The same answer as for a new address: the page tells nobody which addresses have accounts.
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

  await page.goto("/orders");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Forders/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await page.getByLabel("Password").fill("a good long password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/orders$/);
});
