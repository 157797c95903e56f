import OpenAI from "openai";
import postgres from "postgres";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cosineSimilarity } from "../../local/emulators/openai/deterministic-embedder";
import { startOpenAIEmulator } from "../../local/emulators/openai/index";
import { startResendEmulator } from "../../local/emulators/resend/index";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";

let database: TestDatabase;
let sql: postgres.Sql;
let resendEmulator: Awaited<ReturnType<typeof startResendEmulator>>;
let openaiEmulator: Awaited<ReturnType<typeof startOpenAIEmulator>>;
let resend: Resend;
let openai: OpenAI;

beforeAll(async () => {
  database = await startTestDatabase();
  sql = postgres(database.url, { prepare: false, max: 2, onnotice: () => {} });
  resendEmulator = await startResendEmulator({ sql, apiKey: "re_test", port: 0 });
  openaiEmulator = await startOpenAIEmulator({ apiKey: "sk-test", port: 0 });
  process.env.RESEND_BASE_URL = resendEmulator.url;
  resend = new Resend("re_test");
  openai = new OpenAI({ apiKey: "sk-test", baseURL: `${openaiEmulator.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await resendEmulator.stop();
  await openaiEmulator.stop();
  await sql.end();
  await database.stop();
});

const email = {
  from: "Stepwise <hello@stepwise.local>",
  to: "ada@example.com",
  subject: "Welcome",
  html: "<p>Hi Ada</p>",
  text: "Hi Ada",
};

describe("the Resend emulator, through the resend SDK", () => {
  it("accepts an email and shows it in the JSON inbox, newest first", async () => {
    const { data, error } = await resend.emails.send(email);
    expect(error).toBeNull();
    await resend.emails.send({ ...email, subject: "Second" });
    const inbox = await (await fetch(`${resendEmulator.url}/api/messages?to=ada@example.com`)).json();
    expect(inbox.data.map((m: { subject: string }) => m.subject).slice(0, 2)).toEqual(["Second", "Welcome"]);
    expect(inbox.data[1]).toMatchObject({
      id: data!.id,
      from: email.from,
      to: ["ada@example.com"],
      html: "<p>Hi Ada</p>",
      text: "Hi Ada",
    });
  });

  it("replays an idempotent send instead of sending twice, and refuses the key with another body", async () => {
    const first = await resend.emails.send({ ...email, to: "once@example.com" }, { idempotencyKey: "welcome-once" });
    const again = await resend.emails.send({ ...email, to: "once@example.com" }, { idempotencyKey: "welcome-once" });
    expect(again.data!.id).toBe(first.data!.id);
    const other = await resend.emails.send(
      { ...email, to: "once@example.com", subject: "Changed" },
      { idempotencyKey: "welcome-once" },
    );
    expect(other.error).toMatchObject({ name: "invalid_idempotent_request" });
    const inbox = await (await fetch(`${resendEmulator.url}/api/messages?to=once@example.com`)).json();
    expect(inbox.data).toHaveLength(1);
  });

  it("answers 422 validation errors the way Resend does", async () => {
    const { error } = await resend.emails.send({ ...email, to: "not-an-address" });
    expect(error).toMatchObject({ name: "validation_error", message: expect.stringContaining("`to`") });
    const noBody = await resend.emails.send({
      from: email.from,
      to: email.to,
      subject: "x",
    } as unknown as typeof email);
    expect(noBody.error).toMatchObject({ name: "validation_error" });
  });

  it("refuses a wrong API key", async () => {
    const { error } = await new Resend("re_wrong").emails.send(email);
    expect(error).toMatchObject({ name: "invalid_api_key" });
  });

  it("fails the next requests on demand, then recovers", async () => {
    resendEmulator.faults.arm(500, 2);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await resend.emails.send({ ...email, to: "fault@example.com" }));
    expect(results.map((r) => r.error === null)).toEqual([false, false, true]);
  });
});

describe("the OpenAI emulator, through the openai SDK", () => {
  it("returns normalised 1536-d embeddings in the SDK's default base64 encoding, batched", async () => {
    const response = await openai.embeddings.create({
      model: "text-embedding-3-small",
      input: ["invoice totals by month", "monthly invoice totals", "a recipe for lemon cake"],
    });
    expect(response.data).toHaveLength(3);
    const [a, b, c] = response.data.map((d) => d.embedding);
    expect(a).toHaveLength(1536);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(a!, b!)).toBeGreaterThan(cosineSimilarity(a!, c!) + 0.3);
    expect(response.usage.total_tokens).toBeGreaterThan(5);
  });

  it("is deterministic and honours float encoding and dimensions", async () => {
    const floatRes = await openai.embeddings.create({
      model: "text-embedding-3-small",
      input: "same text",
      encoding_format: "float",
      dimensions: 256,
    });
    const again = await openai.embeddings.create({
      model: "text-embedding-3-small",
      input: "same text",
      encoding_format: "float",
      dimensions: 256,
    });
    expect(floatRes.data[0]!.embedding).toHaveLength(256);
    expect(floatRes.data[0]!.embedding).toEqual(again.data[0]!.embedding);
  });

  it("rejects an input over 8,191 tokens and more than 2,048 inputs with 400", async () => {
    await expect(
      openai.embeddings.create({ model: "text-embedding-3-small", input: "word ".repeat(9000) }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      openai.embeddings.create({ model: "text-embedding-3-small", input: Array(2049).fill("x") }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("answers 401 without the right key and 429 with Retry-After when a fault is armed", async () => {
    const stranger = new OpenAI({ apiKey: "sk-wrong", baseURL: `${openaiEmulator.url}/v1`, maxRetries: 0 });
    await expect(stranger.embeddings.create({ model: "text-embedding-3-small", input: "x" })).rejects.toMatchObject({
      status: 401,
    });
    openaiEmulator.faults.arm(429, 1, 1);
    const error = await openai.embeddings.create({ model: "text-embedding-3-small", input: "x" }).catch((e) => e);
    expect(error).toMatchObject({ status: 429 });
    expect(error.headers.get("retry-after")).toBe("1");
  });
});
