import { expect, test } from "./support/test";
import { signUp } from "./support/journeys";

test("subscribing through Stripe Checkout makes the plan active, and cancelling cancels it", async ({ page }) => {
  await signUp(page);
  await page.goto("/billing");
  await expect(page.getByText("You are on the free plan.")).toBeVisible();
  await page.getByRole("button", { name: "Subscribe with Stripe" }).click();

  await expect(page).toHaveURL(/127\.0\.0\.1:12111\/checkout\/cs_test_/);
  await expect(page.getByText("Stepwise Pro")).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();

  await expect(page).toHaveURL(/\/billing\/success/);
  await expect(page.getByText("Your Pro subscription is active.")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("link", { name: "Back to billing" }).click();
  await expect(page.getByTestId("subscription-status")).toHaveText("active");

  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByTestId("subscription-status")).toHaveText("canceled", { timeout: 30_000 });
});
