import { describe, expect, it } from "vitest";
import { oneLinePdf } from "../fixtures/pdfs/make-pdfs";
import { allowConsoleErrors } from "../setup/fail-on-console-error";
import { startTestStack } from "../../harness/test-stack";
import { createUser } from "../support/rows";
import { startForFile } from "../support/start-for-file";

// Downstream services failing for a while: the workflows retry and nothing is done twice.

const stack = startForFile(startTestStack);

describe("when services fail for a while", () => {
  it("Resend answering 500 twice then 200 still sends exactly one welcome email", async () => {
    allowConsoleErrors(/Inngest (step|function) error|Resend refused/);
    const user = await createUser(stack.stack.sql);
    stack.stack.emulators.resend.faults.arm(500, 2);
    const { inngest } = await import("../../app/inngest/client.server");
    await inngest.send({ name: "user/signed.up", data: { userId: user.id, email: user.email } });
    await stack.inngest.waitUntilIdle();
    expect((await stack.mailTo(user.email)).map((m) => m.subject)).toEqual(["Welcome to Stepwise"]);
    const [run] = await stack.inngest.listRuns({ function: "stepwise-send-welcome-email" });
    const detail = await stack.inngest.getRun(run!.run_id);
    expect(detail.steps.find((s) => s.display_name === "send-email")).toMatchObject({ op: "StepRun", attempts: 3 });
  });

  it("OpenAI answering 429 with Retry-After is retried after it, and the chunks are stored once", async () => {
    allowConsoleErrors(/Inngest (step|function) error|Rate limit/);
    const user = await createUser(stack.stack.sql);
    const bytes = await oneLinePdf("Tide tables list high and low water for each harbour.");
    const [document] = await stack.stack.sql<{ id: string }[]>`
      insert into documents (user_id, title, storage_path, size_bytes) values (${user.id}, 'Tides', ${`${user.id}/tides.pdf`}, ${bytes.length}) returning id`;
    const { storageAsService } = await import("../../app/services/storage.server");
    await storageAsService()
      .from("documents")
      .upload(`${user.id}/tides.pdf`, Buffer.from(bytes), { contentType: "application/pdf" });

    stack.stack.emulators.openai.faults.arm(429, 1, 30);
    const requestsBefore = stack.stack.emulators.openai.requestCount();
    const { inngest } = await import("../../app/inngest/client.server");
    await inngest.send({
      name: "document/uploaded",
      data: { documentId: document!.id, userId: user.id, storagePath: `${user.id}/tides.pdf` },
    });
    await stack.inngest.waitUntilIdle();
    const [waiting] = await stack.stack.sql`select status from documents where id = ${document!.id}`;
    expect(waiting!.status).toBe("processing"); // held back by Retry-After: 30 s, not retried at once

    await stack.inngest.advanceClock("31s");
    await stack.inngest.waitUntilIdle();
    const [ready] = await stack.stack.sql`select status, chunk_count from documents where id = ${document!.id}`;
    expect(ready).toMatchObject({ status: "ready", chunk_count: 1 });
    const [chunks] = await stack.stack
      .sql`select count(*)::int as n from document_chunks where document_id = ${document!.id}`;
    expect(chunks!.n).toBe(1);
    expect(stack.stack.emulators.openai.requestCount() - requestsBefore).toBe(1);
  });
});
