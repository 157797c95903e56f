import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";

// 200 people submit the signup form at the same moment: every one gets an account, a profile and exactly one
// welcome email, and nobody sees an error page.

const SIGNUPS = 200;
const stack = startForFile(() => startTestStack({ routes: { "/signup": () => import("../../app/routes/signup") } }));

it(`${SIGNUPS} concurrent signups through the form: ${SIGNUPS} accounts and profiles, one welcome email each`, async () => {
  const batch = randomUUID().slice(0, 8);
  const emails = Array.from({ length: SIGNUPS }, (_, i) => `burst-${batch}-${i}@example.com`);

  const answers = await Promise.all(
    emails.map(async (email, i) => {
      const form = new URLSearchParams({ name: `Burst ${i}`, email, password: "correct horse battery" });
      const response = await fetch(`${stack.appUrl}/signup`, { method: "POST", body: form, redirect: "manual" });
      const body = response.status >= 300 && response.status < 400 ? "" : await response.text();
      return {
        status: response.status,
        location: response.headers.get("location"),
        session: response.headers.getSetCookie().length > 0,
        body,
      };
    }),
  );
  const failed = answers.filter((a) => a.status !== 302);
  expect(failed.slice(0, 3)).toEqual([]);
  expect(answers.every((a) => a.location === "/shop?welcome=1" && a.session)).toBe(true);

  await stack.inngest.waitUntilIdle();

  const sql = stack.stack.sql;
  const [users] = await sql<{ n: number }[]>`select count(*)::int as n from auth.users where email in ${sql(emails)}`;
  const [profiles] = await sql<
    { n: number }[]
  >`select count(*)::int as n from profiles join auth.users using (id) where auth.users.email in ${sql(emails)}`;
  const welcomes = await sql<{ to: string; n: number }[]>`
    select message->'to'->>0 as to, count(*)::int as n from local_mail.messages
    where message->'to'->>0 in ${sql(emails)} and message->>'subject' = 'Welcome to Stepwise' group by 1`;
  expect({ users: users!.n, profiles: profiles!.n }).toEqual({ users: SIGNUPS, profiles: SIGNUPS });
  expect(welcomes.length).toBe(SIGNUPS);
  expect(welcomes.every((w) => w.n === 1)).toBe(true);
  const runs = await stack.inngest.listRuns({ function: "stepwise-send-welcome-email", limit: 1000 });
  expect(runs.filter((r) => r.status === "Failed")).toEqual([]);
}, 120_000);
