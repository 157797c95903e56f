import { describe, expect, it } from "vitest";
import { allowConsoleErrors } from "../setup/fail-on-console-error";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";
import { chunksOf, DatabaseLink, newUser, uploadDocument } from "./support";
import { saveCard } from "../support/saved-card";

// The app loses its database in the middle of a step's transaction, as in a Postgres restart or failover: the
// step's multi-row write has been answered, and the connection ends before its COMMIT is applied. The attempt
// fails, Inngest retries the step, and the user sees the step's rows all at once, once, and nothing in between.

let link: DatabaseLink;
/** Runs before the first /api/inngest request after the connection was ended: the step's retry. */
let onRetry: { afterTerminations: number; look: () => Promise<void> } | null = null;
function whenRetried(look: () => Promise<void>) {
  onRetry = { afterTerminations: link.terminated + 1, look };
}

// The link closes after the stack, whose pool goes through it.
const stack = startForFile(async () => {
  const started = await startTestStack({
    async databaseUrl(direct) {
      const made = await DatabaseLink.to(direct);
      link = made.link;
      return made.url;
    },
    async intercept(request, next) {
      const hook = onRetry;
      if (
        hook &&
        link.terminated >= hook.afterTerminations &&
        request.method === "POST" &&
        new URL(request.url).pathname === "/api/inngest"
      ) {
        onRetry = null;
        await hook.look();
      }
      return next(request);
    },
  });
  return { ...started, stop: () => started.stop().finally(() => link?.close()) };
});

async function stepAttempts(functionId: string, match: (data: Record<string, unknown>) => boolean, step: string) {
  const run = await stack.inngest.waitForRun(
    { function: functionId },
    (r) => !!r.event && match(r.event.data) && r.status !== "Running",
  );
  const detail = await stack.inngest.getRun(run.run_id);
  return { status: run.status, attempts: detail.steps.find((s) => s.display_name === step)?.attempts };
}

describe("the database unreachable during one step", () => {
  it("store-vectors losing its COMMIT after inserting the chunks: none visible until the retry stores them all, once", async () => {
    allowConsoleErrors(/Inngest (step|function) error|CONNECTION_(CLOSED|ENDED|DESTROYED)|ECONNRESET|write after end/);
    const cut = link.terminateAtCommit("insert into document_chunks (");
    let documentId = "";
    let whileDown: Awaited<ReturnType<typeof chunksOf>> | undefined;
    whenRetried(async () => {
      await cut;
      whileDown = await chunksOf(stack, documentId);
    });
    ({ documentId } = await uploadDocument(stack, "Lighthouses", [
      "Lighthouse keepers trimmed the wicks and wound the clockwork that turned the lens every night.",
      "A Fresnel lens bends light from one lamp into a beam seen twenty miles out at sea.",
    ]));
    await stack.inngest.waitUntilIdle();

    // The drafts are counted before store-vectors runs; what matters is that no chunk is searchable yet.
    expect(whileDown).toMatchObject({ status: "processing", rows: 0, indexes: 0, embedded: 0 });
    expect(
      await stepAttempts("stepwise-process-document", (d) => d.documentId === documentId, "store-vectors"),
    ).toEqual({ status: "Completed", attempts: 2 });
    const after = await chunksOf(stack, documentId);
    expect(after.rows).toBeGreaterThan(1);
    expect(after).toEqual({
      status: "ready",
      chunk_count: after.rows,
      rows: after.rows,
      indexes: after.rows,
      embedded: after.rows,
    });
  });

  it("ship-order losing its COMMIT after taking the stock: the stock is taken once, by the retry", async () => {
    allowConsoleErrors(/Inngest (step|function) error|CONNECTION_(CLOSED|ENDED|DESTROYED)|ECONNRESET|write after end/);
    const [product] = await stack.stack.sql<{ id: string; on_hand: number }[]>`
      select id, on_hand from products join inventory on product_id = id where slug = 'field-notebook'`;
    const user = await newUser(stack);
    await saveCard(user.claims);
    const cut = link.terminateAtCommit("update inventory set on_hand");
    let orderId = "";
    let whileDown: { status: string; on_hand: number; steps: string[] } | undefined;
    const orderState = async () => {
      const [order] = await stack.stack.sql<{ status: string }[]>`select status from orders where id = ${orderId}`;
      const [stock] = await stack.stack.sql<
        { on_hand: number }[]
      >`select on_hand from inventory where product_id = ${product!.id}`;
      const steps = await stack.stack.sql<
        { step: string }[]
      >`select step from order_status_history where order_id = ${orderId} order by id`;
      return { status: order!.status, on_hand: stock!.on_hand, steps: steps.map((s) => s.step) };
    };
    whenRetried(async () => {
      await cut;
      whileDown = await orderState();
    });
    const { placeOrder } = await import("../../app/orders/place-order.server");
    const placed = await placeOrder(user.claims, {
      productId: product!.id,
      quantity: 3,
    });
    if (!("orderId" in placed)) throw new Error(placed.error);
    orderId = placed.orderId;
    await stack.inngest.waitUntilIdle();

    expect(whileDown).toEqual({
      status: "paid",
      on_hand: product!.on_hand,
      steps: ["placed", "inventory_checked", "payment_validated", "charged"],
    });
    expect(await stepAttempts("stepwise-process-order", (d) => d.orderId === orderId, "ship-order")).toEqual({
      status: "Completed",
      attempts: 2,
    });
    expect(await orderState()).toEqual({
      status: "shipped",
      on_hand: product!.on_hand - 3,
      steps: ["placed", "inventory_checked", "payment_validated", "charged", "shipped"],
    });
    const [charges] = await stack.stack.sql<{ n: number }[]>`select count(*)::int as n from local_stripe.objects
      where type = 'payment_intent' and data->'metadata'->>'order_id' = ${orderId} and data->>'status' = 'succeeded'`;
    expect(charges!.n).toBe(1);
    expect((await stack.mailTo(user.email)).map((m) => m.subject)).toEqual([
      `Your order is on its way (order ${orderId.slice(0, 8)})`,
    ]);
  });
});
