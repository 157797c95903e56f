import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveFetchHandler, type RunningServer } from "../../local/http/serve-fetch-handler";
import type { RunningExecutor } from "../../local/inngest/index";
import { startTestExecutor, startTestStack, type TestStackWithoutExecutor } from "../../harness/test-stack";
import { call, formRequest, PASSWORD, signUpAndSignIn, type SignedInUser } from "./signed-in";

// A request writes its rows and then tells Inngest. If Inngest's event API is down at that moment the rows must
// not be stranded (an order 'placed' forever, an account with no welcome email, a document never indexed),
// the user must not be told to retry (a second order), and once the API is back each workflow runs once.

let stack: TestStackWithoutExecutor;
let executor: RunningExecutor;
let gateway: RunningServer;
let eventApiDown = false;
let refusedSends = 0;
let user: SignedInUser;

const routes = {
  shop: () => import("../../app/routes/shop"),
  signup: () => import("../../app/routes/signup"),
  upload: () => import("../../app/routes/documents.upload"),
};

/** The executor behind a switch: while `eventApiDown`, its event API (`POST /e/:key`) answers 503. */
async function startGateway() {
  return serveFetchHandler(async (request) => {
    const url = new URL(request.url);
    if (eventApiDown && url.pathname.startsWith("/e/")) {
      refusedSends++;
      return new Response("event API unavailable", { status: 503 });
    }
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    return fetch(new URL(url.pathname + url.search, executor.url), {
      method: request.method,
      headers: request.headers,
      body,
    });
  }, 0);
}

const outboxRow = async (id: string) =>
  (
    await stack.stack.sql<{ sent_at: Date | null; attempts: number }[]>`
    select sent_at, attempts from outbox_events where id = ${id}`
  )[0];

beforeAll(async () => {
  gateway = await startGateway();
  stack = await startTestStack({ executorUrl: gateway.url });
  executor = await startTestExecutor();
  const sync = await executor.addApp(`${stack.appUrl}/api/inngest`);
  if (!sync.ok) throw new Error(`The app did not sync: ${sync.error}`);
  user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
  await stack.inngest.waitUntilIdle();
}, 120_000);

afterAll(async () => {
  await executor?.stop();
  await stack?.stop();
  await gateway?.stop();
});

describe("with Inngest's event API down during the request", () => {
  let orderId: string;
  let documentId: string;
  let newEmail: string;

  it("still places the order, creates the account and takes the upload, and keeps their events", async () => {
    const [product] = await stack.stack.sql<{ id: string }[]>`select id from products order by price_cents limit 1`;
    eventApiDown = true;

    const order = await call(
      (await routes.shop()).action,
      formRequest(
        `${stack.appUrl}/shop`,
        { productId: product!.id, quantity: "1", paymentMethod: "pm_card_visa" },
        user.cookie,
      ),
    );
    expect(order.status).toBe(302);
    orderId = order.headers.get("location")!.replace("/orders/", "");

    newEmail = `outbox-${randomUUID().slice(0, 8)}@example.com`;
    const signup = await call(
      (await routes.signup()).action,
      formRequest(`${stack.appUrl}/signup`, { name: "Outbox Test", email: newEmail, password: PASSWORD }),
    );
    expect(signup.status).toBe(302);

    const form = new FormData();
    form.set(
      "file",
      new File([await readFile("tests/fixtures/pdfs/handbook.pdf")], "Handbook.pdf", { type: "application/pdf" }),
    );
    const upload = await call(
      (await routes.upload()).action,
      new Request(`${stack.appUrl}/documents/upload`, { method: "POST", headers: { cookie: user.cookie }, body: form }),
    );
    expect(upload.status).toBe(201);
    documentId = ((await upload.json()) as { documentId: string }).documentId;

    expect(refusedSends).toBeGreaterThanOrEqual(3);
    const [account] = await stack.stack.sql<{ id: string }[]>`select id from auth.users where email = ${newEmail}`;
    for (const id of [`order-placed-${orderId}`, `signed-up-${account!.id}`, `document-uploaded-${documentId}`]) {
      expect(await outboxRow(id)).toMatchObject({ sent_at: null, attempts: 1 });
    }
    await stack.inngest.waitUntilIdle();
    const [placed] = await stack.stack.sql`select status from orders where id = ${orderId}`;
    expect(placed!.status).toBe("placed");
    expect(await stack.mailTo(newEmail)).toEqual([]);
  });

  it("runs each workflow once when the API is back and the relay's minute comes round", async () => {
    eventApiDown = false;
    // Both clocks move a minute: the executor's, so the relay's cron fires, and the outbox rows' age.
    await stack.stack.sql`update outbox_events set created_at = created_at - interval '1 minute' where sent_at is null`;
    await stack.inngest.advanceClock("1m");
    await stack.inngest.waitUntilIdle();

    const [order] = await stack.stack.sql`select status from orders where id = ${orderId}`;
    expect(order!.status).toBe("shipped");
    const [document] = await stack.stack.sql`select status from documents where id = ${documentId}`;
    expect(document!.status).toBe("ready");
    expect((await stack.mailTo(newEmail)).map((mail) => mail.subject)).toEqual(["Welcome to Stepwise"]);
    const [unsent] = await stack.stack.sql<{ n: number }[]>`
      select count(*)::int as n from outbox_events where sent_at is null`;
    expect(unsent!.n).toBe(0);
  });

  it("drops a second delivery of the same event, so the order is charged once", async () => {
    // The relay crashed after Inngest took the events and before it marked them sent: it sends them again.
    await stack.stack.sql`update outbox_events set sent_at = null, created_at = created_at - interval '1 minute'`;
    await stack.inngest.advanceClock("1m");
    await stack.inngest.waitUntilIdle();

    const runs = await stack.inngest.listRuns({ function: "stepwise-process-order" });
    expect(runs.filter((run) => run.event?.data.orderId === orderId)).toHaveLength(1);
    const payments = await stack.stack.sql`select 1 from payments where order_id = ${orderId}`;
    expect(payments).toHaveLength(1);
    expect((await stack.mailTo(newEmail)).map((mail) => mail.subject)).toEqual(["Welcome to Stepwise"]);
  });
});
