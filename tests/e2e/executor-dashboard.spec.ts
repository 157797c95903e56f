import { randomUUID } from "node:crypto";
import { LOCAL_PORTS } from "../../contracts/local-defaults";
import { expect, test } from "./support/test";

// The local executor's dashboard, used from the keyboard: invoking a function with a JSON payload (a bad one is
// refused on the spot), the runs table following its filters and new runs without a reload, and debugging a run
// from the event that started it (its waterfall of steps, a rerun from a step, the function's config, the app's
// sync and Resync). orders.spec.ts follows a workflow's step.sendEvent from its run to the event it sent.

const DASHBOARD = `http://127.0.0.1:${LOCAL_PORTS.inngest}`;
// A user that does not exist (its event still valid): send-welcome-email then completes at once, sending nothing.
const ghostUser = () => randomUUID();

test("invokes a function with the JSON payload typed in, after refusing one that is not JSON", async ({ page }) => {
  await page.goto(`${DASHBOARD}/functions`);
  const fn = page.getByRole("region", { name: "stepwise-send-welcome-email" });
  const row = fn;
  await row.getByText("Invoke…").focus();
  await page.keyboard.press("Enter");
  const payload = row.getByLabel("Event data (JSON) for stepwise-send-welcome-email");
  await payload.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type("{ userId: ");
  await page.keyboard.press("Tab"); // to the Invoke button
  await page.keyboard.press("Enter");
  await expect(row.getByRole("alert")).toContainText("not JSON");

  const userId = ghostUser();
  await payload.fill(`{ "userId": "${userId}", "email": "nobody@example.com" }`);
  await payload.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/runs\/[0-9A-Z]{26}$/);
  await expect(page.getByRole("heading", { name: /stepwise-send-welcome-email · Completed/ })).toBeVisible();
  await page.getByText("Triggering event").focus();
  await page.keyboard.press("Enter");
  const runSection = page.getByRole("region", { name: /^Run [0-9A-Z]{26}/ });
  await expect(runSection.getByText(userId)).toBeVisible(); // the run's event carries the payload typed in
});

test("filters runs by function, status, time and text, and shows a matching new run without a reload", async ({
  page,
  request,
}) => {
  const first = ghostUser();
  const invoke = async (userId: string) => {
    const answer = await request.post(`${DASHBOARD}/api/functions/stepwise-send-welcome-email/invoke`, {
      data: { data: { userId, email: "nobody@example.com" } },
    });
    return ((await answer.json()) as { data: { run_id: string } }).data.run_id;
  };
  const firstRun = await invoke(first);

  await page.goto(DASHBOARD);
  const runs = page.locator("#run-rows");
  const filters = page.getByRole("search");
  await filters.getByLabel("Function").selectOption("stepwise-send-welcome-email");
  await filters.getByLabel("Started").selectOption("15m");
  await filters.getByLabel("Search").focus();
  await page.keyboard.type(first);
  await expect(runs.getByRole("row")).toHaveCount(1);
  await expect(runs.getByRole("link", { name: firstRun })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`q=${first}`));

  await filters.getByLabel("Status").selectOption("Failed");
  await expect(runs).toContainText("No runs match these filters.");
  await filters.getByLabel("Status").selectOption("Completed");
  await expect(runs.getByRole("link", { name: firstRun })).toBeVisible();

  // A run that matches, started after the page loaded, appears on its own; one that does not, never does.
  const prefix = first.slice(0, 8);
  await filters.getByLabel("Search").fill(prefix);
  const other = `${prefix}-${ghostUser().slice(9)}`;
  const otherRun = await invoke(other);
  const unrelatedRun = await invoke(ghostUser());
  await expect(runs.getByRole("link", { name: otherRun })).toBeVisible();
  await expect(runs.getByRole("link", { name: firstRun })).toBeVisible();
  await expect(runs.getByRole("link", { name: unrelatedRun })).toHaveCount(0);
});

test("debugs a run from the event that started it: its waterfall, a rerun from a step, its function and app", async ({
  page,
}) => {
  const userId = ghostUser();
  await page.goto(`${DASHBOARD}/events`);
  const event = page.getByLabel("Event (JSON)");
  await event.fill(JSON.stringify({ name: "user/signed.up", data: { userId, email: "nobody@example.com" } }));
  await event.press("Tab"); // to Send
  await page.keyboard.press("Enter");
  const eventRow = page.getByRole("row").filter({ hasText: userId });
  const runLink = eventRow.getByRole("link", { name: /^[0-9A-Z]{26}$/ });
  const runId = (await runLink.textContent())!;
  await runLink.focus();
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByRole("heading", { name: /stepwise-send-welcome-email · Completed/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /^user\/signed\.up \(/ })).toBeVisible(); // started by the event
  const steps = page.getByRole("table", { name: `Steps of run ${runId}` });
  await expect(steps.getByRole("img", { name: /^get-user: starts at \+\d+ ms, takes \d+ ms$/ })).toBeVisible();
  await steps.getByText("Input, output and error of get-user").focus();
  await page.keyboard.press("Enter");
  await expect(steps.getByRole("heading", { name: "Output" })).toBeVisible(); // the ghost user: null

  await steps.getByRole("button", { name: "Rerun from here (step get-user)" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).not.toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page).toHaveURL(/\/runs\/[0-9A-Z]{26}$/);
  await expect(page.getByText(/a rerun of [0-9A-Z]{26} from step get-user/)).toBeVisible();
  const rerunId = page.url().split("/").pop()!;
  await page.getByRole("link", { name: runId }).focus();
  await page.keyboard.press("Enter"); // back to the original, which lists its rerun
  await expect(page.getByRole("definition").getByRole("link", { name: rerunId })).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Dashboard" });
  await nav.getByRole("link", { name: "Functions" }).focus();
  await page.keyboard.press("Enter");
  const config = page.getByRole("table", { name: "Configuration of stepwise-send-welcome-email" });
  await expect(config.getByRole("row", { name: "Idempotency event.data.userId" })).toBeVisible();
  await expect(config.getByRole("row", { name: "Retries 4" })).toBeVisible();

  await nav.getByRole("link", { name: "Apps" }).focus();
  await page.keyboard.press("Enter");
  const app = page.getByRole("row").filter({ hasText: "stepwise" });
  await expect(app.getByRole("cell", { name: "Synced", exact: true })).toBeVisible();
  await app.getByRole("button", { name: /^Resync / }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toHaveText(/\/api\/inngest: synced \d+ functions$/);
  await expect(app.getByRole("cell", { name: "Synced", exact: true })).toBeVisible();
});
