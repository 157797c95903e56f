import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { startStepTestServices } from "../support/step-test-services";
import { startForFile } from "../../support/start-for-file";

// The function's steps for real against the database and the Resend emulator. That a re-fired cron starts no
// second run is Inngest's part (event ids, idempotency key) and is tested end to end on the local executor.
const services = startForFile(startStepTestServices);

async function runDigest(userId: string, date: string) {
  const { sendDigest } = await import("../../../app/inngest/functions/send-digest.server");
  const engine = new InngestTestEngine({
    function: sendDigest,
    events: [{ name: "digest/send", data: { userId, date } }],
  });
  return (await engine.execute()).result;
}

describe("send-digest", () => {
  it("emails the user the day's digest once, even when run again for the same day", async () => {
    const user = await services.createUser({ name: "Ada" });
    expect(await runDigest(user.id, "2026-11-25")).toEqual({ sent: true });
    expect(await runDigest(user.id, "2026-11-25")).toEqual({ sent: true });
    const digests = await services.mailTo(user.email);
    expect(digests.map((message) => message.subject)).toEqual(["Your Stepwise digest for 2026-11-25"]);
    expect(digests[0]!.text).toContain("0 order(s) placed, 0 shipped, 0 document(s) ready");
    await runDigest(user.id, "2026-11-26");
    expect(await services.mailTo(user.email)).toHaveLength(2);
  });

  it("sends nothing to a user who opted out or deleted the account after the fan-out", async () => {
    const optedOut = await services.createUser();
    await services.sql`update profiles set digest_opt_in = false where id = ${optedOut.id}`;
    expect(await runDigest(optedOut.id, "2026-11-25")).toEqual({ sent: false });
    expect(await services.mailTo(optedOut.email)).toEqual([]);
    const deleted = await services.createUser();
    await services.sql`delete from auth.users where id = ${deleted.id}`;
    expect(await runDigest(deleted.id, "2026-11-25")).toEqual({ sent: false });
    expect(await services.mailTo(deleted.email)).toEqual([]);
  });
});
