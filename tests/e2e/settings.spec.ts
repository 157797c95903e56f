import { expect, test } from "./support/test";
import { signUp } from "./support/journeys";

test("saving email preferences keeps them and says so once", async ({ page }) => {
  await signUp(page);
  await page.goto("/settings");
  const tips = page.getByLabel("Getting-started tips");
  await expect(tips).toBeChecked();
  await tips.uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  await page.reload();
  await expect(page.getByLabel("Getting-started tips")).not.toBeChecked();
  await expect(page.getByRole("status")).toHaveText("");
});
