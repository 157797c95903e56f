import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { startStepTestServices } from "../support/step-test-services";
import { startForFile } from "../../support/start-for-file";

// The function's own branches, its steps running for real against the database and the Resend emulator. Only
// the day's sleep is mocked (@inngest/test waits forever on an unmocked one); the real sleep is covered end to
// end on the local executor.
const services = startForFile(startStepTestServices);

async function runWelcomeSeries(
  user: { id: string; email: string },
  duringTheDay: () => Promise<unknown> = async () => {},
) {
  const { sendWelcomeEmail } = await import("../../../app/inngest/functions/send-welcome-email.server");
  const engine = new InngestTestEngine({
    function: sendWelcomeEmail,
    events: [{ name: "user/signed.up", data: { userId: user.id, email: user.email } }],
    steps: [{ id: "wait-24h", handler: duringTheDay }],
  });
  const { result } = await engine.execute();
  return { result, subjects: (await services.mailTo(user.email)).map((message) => message.subject).reverse() };
}

describe("send-welcome-email", () => {
  it("sends the welcome email, then the tips", async () => {
    const user = await services.createUser({ name: "Ada" });
    expect(await runWelcomeSeries(user)).toEqual({
      result: { sent: ["welcome", "tips"] },
      subjects: ["Welcome to Stepwise", "Getting started with Stepwise"],
    });
  });

  it("sends no tips to a user who opted out of them during the day", async () => {
    const user = await services.createUser();
    const run = await runWelcomeSeries(
      user,
      () => services.sql`update profiles set tips_opt_in = false where id = ${user.id}`,
    );
    expect(run).toEqual({ result: { sent: ["welcome"] }, subjects: ["Welcome to Stepwise"] });
  });

  it("sends no tips to a user who deleted the account during the day", async () => {
    const user = await services.createUser();
    const run = await runWelcomeSeries(user, () => services.sql`delete from auth.users where id = ${user.id}`);
    expect(run).toEqual({ result: { sent: ["welcome"] }, subjects: ["Welcome to Stepwise"] });
  });

  it("sends nothing for an account deleted before the first step ran", async () => {
    const user = await services.createUser();
    await services.sql`delete from auth.users where id = ${user.id}`;
    expect(await runWelcomeSeries(user)).toEqual({ result: { sent: [] }, subjects: [] });
  });
});
