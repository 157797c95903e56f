import { createHash, randomUUID } from "node:crypto";
import type postgres from "postgres";
import { json, Router } from "../../http/router";
import { serveFetchHandler, type FetchHandler } from "../../http/serve-fetch-handler";
import { FaultInjector } from "../faults";
import { MailStore, type StoredMessage } from "./mail-store";
import { renderMailbox } from "./mailbox-page";
import { validateEmail, type EmailInput } from "./validate-email";

export interface ResendEmulatorOptions {
  sql: postgres.Sql;
  apiKey: string;
}

const error = (statusCode: number, name: string, message: string) => json({ statusCode, name, message }, statusCode);

/** Resend's `/emails` API with a mailbox UI and a JSON inbox for tests. */
export async function createResendEmulator(options: ResendEmulatorOptions) {
  const store = new MailStore(options.sql);
  await store.migrate();
  const faults = new FaultInjector();
  const router = new Router();

  const authorized = (request: Request): Response | null => {
    const header = request.headers.get("authorization");
    if (!header)
      return error(
        401,
        "missing_api_key",
        "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY",
      );
    if (header !== `Bearer ${options.apiKey}`) return error(403, "invalid_api_key", "API key is invalid");
    const fault = faults.take();
    if (fault)
      return new Response(
        JSON.stringify({ statusCode: fault.status, name: "application_error", message: "Injected fault" }),
        {
          status: fault.status,
          headers: {
            "content-type": "application/json",
            ...(fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {}),
          },
        },
      );
    return null;
  };

  /** Same key + same body ⇒ the first message's id, nothing sent; same key + other body ⇒ 409, as Resend does. */
  const accept = async (input: EmailInput, idempotencyKey: string | null): Promise<Response | { id: string }> => {
    const checked = validateEmail(input);
    if (!checked.ok) return error(422, "validation_error", checked.error);
    const requestHash = createHash("sha256").update(JSON.stringify(input)).digest("hex");
    if (idempotencyKey) {
      const previous = await store.findByIdempotencyKey(idempotencyKey);
      if (previous && previous.request_hash !== requestHash) {
        return error(
          409,
          "invalid_idempotent_request",
          "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
        );
      }
      if (previous) return { id: previous.id };
    }
    const message: StoredMessage = { ...checked.message, id: randomUUID(), created_at: new Date().toISOString() };
    try {
      await store.insert(message, idempotencyKey, requestHash);
    } catch (insertError) {
      // A concurrent request with the same key won the race: answer as its replay.
      const winner = idempotencyKey ? await store.findByIdempotencyKey(idempotencyKey) : undefined;
      if (winner) return { id: winner.id };
      throw insertError;
    }
    return { id: message.id };
  };

  router.post("/emails", async (request) => {
    const denied = authorized(request);
    if (denied) return denied;
    const input = (await request.json().catch(() => null)) as EmailInput | null;
    if (!input || typeof input !== "object") return error(422, "validation_error", "The body must be a JSON object.");
    const result = await accept(input, request.headers.get("idempotency-key"));
    return result instanceof Response ? result : json(result);
  });

  router.post("/emails/batch", async (request) => {
    const denied = authorized(request);
    if (denied) return denied;
    const inputs = (await request.json().catch(() => null)) as EmailInput[] | null;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 100) {
      return error(422, "validation_error", "The body must be an array of 1 to 100 emails.");
    }
    for (const [index, input] of inputs.entries()) {
      const checked = validateEmail(input);
      if (!checked.ok) return error(422, "validation_error", `emails[${index}]: ${checked.error}`);
    }
    const key = request.headers.get("idempotency-key");
    const data: Array<{ id: string }> = [];
    for (const [index, input] of inputs.entries()) {
      const result = await accept(input, key ? `${key}#${index}` : null);
      if (result instanceof Response) return result;
      data.push(result);
    }
    return json({ data });
  });

  router.get("/emails/:id", async (request, params) => {
    const denied = authorized(request);
    if (denied) return denied;
    const message = await store.get(params.id!);
    return message
      ? json({ object: "email", ...message, last_event: "delivered" })
      : error(404, "not_found", "Email not found");
  });

  router.get("/api/messages", async (_request, _params, url) =>
    json({ data: await store.list(url.searchParams.get("to")) }),
  );
  router.post("/__faults", (request) => faults.handleControl(request));
  router.get("/", async (_request, _params, url) => {
    const filter = url.searchParams.get("to");
    const messages = await store.list(filter);
    const id = url.searchParams.get("id");
    const selected = id ? await store.get(id) : messages[0];
    return new Response(renderMailbox(messages, selected, filter), {
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  });

  const handler: FetchHandler = router.handler(() => error(404, "not_found", "The requested endpoint does not exist."));
  return { handler, store, faults };
}

export async function startResendEmulator(options: ResendEmulatorOptions & { port: number }) {
  const emulator = await createResendEmulator(options);
  const server = await serveFetchHandler(emulator.handler, options.port);
  return { ...server, ...emulator };
}
