import { json } from "../../http/router";

/** Stripe's error body: `{ error: { type, code?, message, param?, ... } }`. */
export function stripeError(
  status: number,
  error: { type: string; message: string; code?: string; param?: string; [field: string]: unknown },
) {
  return json({ error }, status);
}

export const missing = (kind: string, id: string, param = "id") =>
  stripeError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param,
  });

export const invalid = (message: string, param?: string) =>
  stripeError(400, { type: "invalid_request_error", message, ...(param ? { param } : {}) });
