import { json } from "../../http/router";

/** GoTrue's error body, which supabase-js turns into an AuthApiError with `code` = error_code. */
export function authError(status: number, errorCode: string, message: string, extra: Record<string, unknown> = {}) {
  return json({ code: status, error_code: errorCode, msg: message, ...extra }, status, {
    "x-supabase-api-version": "2024-01-01",
  });
}

/** Storage's error body: the status travels as a string in `statusCode`, as supabase/storage does. */
export function storageError(status: number, statusCode: string, error: string, message: string) {
  return json({ statusCode, error, message }, status);
}
