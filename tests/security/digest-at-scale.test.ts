import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStepTestServices, type StepTestServices } from "../unit/support/step-test-services";

// Inngest stores each step's output and refuses one over 4 MB. A digest step that returned every opted-in
// user's id passed that near 100,000 users (about 39 bytes an id in JSON) and the digest stopped for everyone.
// With 100,000 users the run must page through them, each step's output a small fraction of the limit.

const USERS = 100_000;
const INNGEST_STEP_OUTPUT_LIMIT = 4 * 1024 * 1024;

let services: StepTestServices;
beforeAll(async () => {
  services = await startStepTestServices();
  await services.sql`insert into auth.users (email)
    select 'digest-' || n || '@example.com' from generate_series(1, ${USERS}) as n`;
}, 120_000);
afterAll(async () => {
  await services?.stop();
});

describe("the daily digest with 100,000 users", () => {
  it("sends each user one digest/send, and no step's output comes near Inngest's 4 MB", async () => {
    const { dailyDigest } = await import("../../app/inngest/functions/daily-digest.server");
    const engine = new InngestTestEngine({
      function: dailyDigest,
      events: [
        { name: "inngest/scheduled.timer", data: { cron: "0 9 * * *" }, ts: Date.parse("2026-11-25T09:00:00Z") },
      ],
    });
    const { result, state } = await engine.execute();
    expect(result).toEqual({ date: "2026-11-25", sent: USERS });

    const outputs = await Promise.all(Object.values(state).map(async (output) => JSON.stringify(await output)));
    expect(outputs.length).toBeGreaterThanOrEqual(USERS / 5000);
    const largest = Math.max(...outputs.map((output) => Buffer.byteLength(output)));
    expect(largest).toBeLessThan(INNGEST_STEP_OUTPUT_LIMIT / 1000);

    const recipients = new Set(services.sentEvents.map((event) => event.id));
    expect(services.sentEvents).toHaveLength(USERS);
    expect(recipients.size).toBe(USERS);
  }, 180_000);
});
