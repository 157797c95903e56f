import { http, type HttpResponse } from "msw";
import type { FetchHandler } from "./serve-fetch-handler";

/** Mounts an emulator's Fetch handler under `baseUrl` for MSW, so unit tests reach it without a port. */
export function mswHandlersFor(baseUrl: string, handler: FetchHandler) {
  return [
    http.all(
      `${baseUrl.replace(/\/$/, "")}/*`,
      async ({ request }) => (await handler(request)) as unknown as HttpResponse<never>,
    ),
  ];
}
