import { expect, test } from "./support/test";
import { buy, signUp } from "./support/journeys";

test("buying an in-stock product walks the order to shipped without a reload", async ({ page }) => {
  await signUp(page);
  await buy(page, "Brass Pen");
  await expect(page.getByRole("status")).toHaveText("Thank you! Your order is placed.");
  await expect(page.locator("h1 .status")).toHaveText("shipped", { timeout: 30_000 });
  // The page re-polls as the order moves; the message stays until the user goes elsewhere, then it is gone.
  await expect(page.getByRole("status")).toHaveText("Thank you! Your order is placed.");
  for (const step of ["Order placed", "Inventory checked", "Payment validated", "Card charged", "Shipped"]) {
    await expect(page.getByRole("listitem").filter({ hasText: step })).toBeVisible();
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
  await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("");
  await page.goBack();
  await expect(page.locator("h1 .status")).toHaveText("shipped");
  await expect(page.getByRole("status")).toHaveText("");
});

test("buying an out-of-stock product ends backordered, uncharged", async ({ page }) => {
  await signUp(page);
  await buy(page, "Mechanical Keyboard");
  await expect(page.locator("h1 .status")).toHaveText("backordered", { timeout: 30_000 });
  await expect(page.getByText("Mechanical Keyboard: 0 of 1 in stock").first()).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Card charged" })).toHaveCount(0);
});

test("a declined card ends payment declined", async ({ page }) => {
  await signUp(page);
  await buy(page, "Field Notebook", "Card that is declined (test)");
  await expect(page.locator("h1 .status")).toHaveText("payment failed", { timeout: 30_000 });
  await expect(page.getByText("Your card was declined.").first()).toBeVisible();
});
