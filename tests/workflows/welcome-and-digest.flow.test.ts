import { describe, expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { createUser } from "../support/rows";
import { startForFile } from "../support/start-for-file";

const stack = startForFile(startTestStack);

// Advancing the clock a day also fires the 09:00 digest cron, as it would in real time; these tests look
// only at the emails they are about.
const welcomeSeries = async (address: string) =>
  (await stack.mailTo(address)).map((m) => m.subject).filter((subject) => !subject.startsWith("Your Stepwise digest"));

async function send(name: string, data: Record<string, unknown>, id?: string) {
  const { inngest } = await import("../../app/inngest/client.server");
  await inngest.send({ name, data, ...(id ? { id } : {}) });
  await stack.inngest.waitUntilIdle();
}

describe("send-welcome-email", () => {
  it("sends the welcome email at once and the tips a day later, exactly one of each", async () => {
    const user = await createUser(stack.stack.sql, { name: "Ada" });
    await send("user/signed.up", { userId: user.id, email: user.email });
    await send("user/signed.up", { userId: user.id, email: user.email }); // a repeated signup event changes nothing
    expect((await stack.mailTo(user.email)).map((m) => m.subject)).toEqual(["Welcome to Stepwise"]);
    const [welcome] = await stack.mailTo(user.email);
    expect(welcome!.html).toContain("Welcome to Stepwise, Ada!");
    expect(welcome!.text).toContain("Your account is ready");

    await stack.inngest.advanceClock("24h");
    await stack.inngest.waitUntilIdle();
    expect((await welcomeSeries(user.email)).sort()).toEqual(["Getting started with Stepwise", "Welcome to Stepwise"]);
  });

  it("sends no tips to a user who opted out during the day", async () => {
    const user = await createUser(stack.stack.sql);
    await send("user/signed.up", { userId: user.id, email: user.email });
    await stack.stack.sql`update profiles set tips_opt_in = false where id = ${user.id}`;
    await stack.inngest.advanceClock("24h");
    await stack.inngest.waitUntilIdle();
    expect(await welcomeSeries(user.email)).toEqual(["Welcome to Stepwise"]);
  });

  it("sends no tips to a user who deleted the account during the day", async () => {
    const user = await createUser(stack.stack.sql);
    await send("user/signed.up", { userId: user.id, email: user.email });
    await stack.stack.sql`delete from auth.users where id = ${user.id}`;
    await stack.inngest.advanceClock("24h");
    await stack.inngest.waitUntilIdle();
    expect(await welcomeSeries(user.email)).toEqual(["Welcome to Stepwise"]);
  });

  it("rejects a signup event that fails its schema, naming the field", async () => {
    const { inngest } = await import("../../app/inngest/client.server");
    const { userSignedUp } = await import("../../app/inngest/events.server");
    await expect(inngest.send(userSignedUp.create({ userId: "not-a-uuid", email: "x@example.com" }))).rejects.toThrow(
      /userId/,
    );
  });
});

describe("daily-digest", () => {
  it("sends one digest per opted-in user even when the cron fires twice on the same day", async () => {
    const readers = [await createUser(stack.stack.sql), await createUser(stack.stack.sql)];
    const optedOut = await createUser(stack.stack.sql, { digest: false });
    const firstRun = await stack.inngest.invokeFunction("stepwise-daily-digest");
    await stack.inngest.waitUntilIdle();
    const secondRun = await stack.inngest.invokeFunction("stepwise-daily-digest");
    await stack.inngest.waitUntilIdle();
    for (const reader of readers) {
      const digests = (await stack.mailTo(reader.email)).filter((m) => m.subject.startsWith("Your Stepwise digest"));
      expect(digests).toHaveLength(1);
    }
    expect(await stack.mailTo(optedOut.email)).toEqual([]);
    for (const runId of [firstRun!, secondRun!]) expect((await stack.inngest.getRun(runId)).status).toBe("Completed");
  });
});
