import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { startForFile } from "../support/start-for-file";
import { ExecutorProcess, freePort } from "../../harness/executor-process";
import { chunksOf, deferred, type Deferred, newUser, uploadDocument } from "./support";

// The executor is its own process on a data dir, as in `npm run dev`, and is killed with SIGKILL while the app is
// in the middle of a step. The app finishes that step with nobody left to hear the answer (as a Netlify function
// would), the executor restarts on the same dir and runs the step again: the effect must still happen once.

let executor: ExecutorProcess;
let dataDir: string;

/** The next /api/inngest request of `fnId` whose body matches is held until `release`; `done` once answered. */
interface Hold {
  fnId: string;
  bodyIncludes: string;
  held: Deferred;
  release: Deferred;
  done: Deferred<number>;
}
let hold: Hold | null = null;

function holdNext(fnId: string, bodyIncludes: string): Hold {
  hold = { fnId, bodyIncludes, held: deferred(), release: deferred(), done: deferred<number>() };
  return hold;
}

async function intercept(request: Request, next: (request: Request) => Promise<Response>): Promise<Response> {
  const url = new URL(request.url);
  const current = hold;
  if (
    !current ||
    request.method !== "POST" ||
    url.pathname !== "/api/inngest" ||
    url.searchParams.get("fnId") !== current.fnId
  )
    return next(request);
  if (!(await request.clone().text()).includes(current.bodyIncludes)) return next(request);
  hold = null;
  current.held.resolve();
  await current.release.promise;
  try {
    const response = await next(request);
    const body = await response.arrayBuffer(); // the step has run once its answer is complete
    current.done.resolve(response.status);
    return new Response(body, response);
  } catch (error) {
    current.done.reject(error);
    throw error;
  }
}

/** Waits for the held request, kills the executor, lets the app run the step with no executor alive, restarts it. */
async function crashDuring(current: Hold, whileDown: () => Promise<void>) {
  await current.held.promise;
  await executor.kill9();
  current.release.resolve();
  expect(await current.done.promise).toBeLessThan(300);
  await whileDown();
  await executor.start();
  await stack.inngest.waitUntilIdle();
}

let port: number;
const stack = startForFile(async () => {
  port = await freePort();
  return startTestStack({ executorUrl: `http://127.0.0.1:${port}`, intercept });
});

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "stepwise-executor-crash-"));
  // A crash between two steps needs each step to be a request of its own, so the SDK does not checkpoint here.
  executor = new ExecutorProcess({
    sdkUrl: `${stack.appUrl}/api/inngest`,
    port,
    dataDir,
    extraArgs: ["--no-checkpointing"],
  });
  await executor.start();
});

// Runs before the stack stops.
afterAll(async () => {
  await executor?.kill9();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("the executor killed with SIGKILL mid-run", () => {
  it("between charging and shipping an order: one charge, one shipment, one email", async () => {
    const [product] = await stack.stack.sql<{ id: string; on_hand: number }[]>`
      select id, on_hand from products join inventory on product_id = id where slug = 'brass-pen'`;
    const user = await newUser(stack);
    // The first request that already carries the charge's result is the one that runs ship-order.
    const current = holdNext("stepwise-process-order", '"paymentIntentId"');
    const { placeOrder } = await import("../../app/orders/place-order.server");
    const placed = await placeOrder(user.claims, {
      productId: product!.id,
      quantity: 2,
      paymentMethod: "pm_card_visa",
    });
    if (!("orderId" in placed)) throw new Error(placed.error);
    const { orderId } = placed;

    await crashDuring(current, async () => {
      // The app shipped while the executor was dead; the executor never heard so.
      const [order] = await stack.stack.sql`select status from orders where id = ${orderId}`;
      expect(order!.status).toBe("shipped");
    });

    const run = await stack.inngest.waitForRun(
      { function: "stepwise-process-order" },
      (r) => r.event?.data.orderId === orderId && r.status !== "Running",
    );
    expect(run.status).toBe("Completed");
    const [intents] = await stack.stack.sql<{ n: number }[]>`select count(*)::int as n from local_stripe.objects
      where type = 'payment_intent' and data->'metadata'->>'order_id' = ${orderId} and data->>'status' = 'succeeded'`;
    expect(intents!.n).toBe(1);
    const payments = await stack.stack.sql`select amount_cents from payments where order_id = ${orderId}`;
    expect(payments).toHaveLength(1);
    const steps = await stack.stack.sql<
      { step: string }[]
    >`select step from order_status_history where order_id = ${orderId} order by id`;
    expect(steps.map((s) => s.step)).toEqual([
      "placed",
      "inventory_checked",
      "payment_validated",
      "charged",
      "shipped",
    ]);
    const [stock] = await stack.stack.sql<
      { on_hand: number }[]
    >`select on_hand from inventory where product_id = ${product!.id}`;
    expect(stock!.on_hand).toBe(product!.on_hand - 2);
    expect((await stack.mailTo(user.email)).map((m) => m.subject)).toEqual([
      `Your order is on its way (order ${orderId.slice(0, 8)})`,
    ]);
  });

  it("while a document's chunks are being stored: every chunk stored once, none lost", async () => {
    // The first request carrying generate-embeddings' result runs store-vectors, the step that writes the chunks.
    const current = holdNext("stepwise-process-document", '"embedded"');
    const { documentId } = await uploadDocument(stack, "Harbour guide", [
      "Tide tables list high and low water for each harbour along the coast.",
      "Pilots board large vessels at the outer buoy and guide them to their berth.",
      "Fog signals sound every thirty seconds when visibility drops below one mile.",
    ]);

    let storedWhileDown = 0;
    await crashDuring(current, async () => {
      storedWhileDown = (await chunksOf(stack, documentId)).rows;
      expect(storedWhileDown).toBeGreaterThan(1);
    });

    const run = await stack.inngest.waitForRun(
      { function: "stepwise-process-document" },
      (r) => r.event?.data.documentId === documentId && r.status !== "Running",
    );
    expect(run.status).toBe("Completed");
    expect(await chunksOf(stack, documentId)).toEqual({
      status: "ready",
      chunk_count: storedWhileDown,
      rows: storedWhileDown,
      indexes: storedWhileDown,
      embedded: storedWhileDown,
    });
  });
});
