import type postgres from "postgres";
import { Router } from "../../http/router";
import { MailStore } from "../resend/mail-store";
import { serveFetchHandler, type FetchHandler } from "../../http/serve-fetch-handler";
import { mountAuth } from "./auth";
import { readAuthConfig, type AuthConfig } from "./auth-config";
import { authError } from "./gotrue-errors";
import { generateSigningKey, verifyJwt, type JwtKeys, type SigningKey } from "./jwt";
import { mountStorage } from "./storage";

export interface SupabaseEmulatorOptions {
  sql: postgres.Sql;
  /** The legacy JWT secret, which signed the anon and service_role keys. */
  jwtSecret: string;
  /** The asymmetric key that signs access tokens; a new one each start if omitted (sessions then end with it). */
  signingKey?: SigningKey;
  /** Auth settings; by default the `[auth]` section of supabase/config.toml. */
  authConfig?: AuthConfig;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
  storageDir: string;
  /** The URL clients use, for the tokens' issuer (defaults to the listening address). */
  publicUrl?: string;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
  "access-control-allow-headers": "authorization, x-client-info, apikey, content-type, x-upsert, cache-control",
  "access-control-max-age": "3600",
};

/** Supabase's Auth (`/auth/v1`) and Storage (`/storage/v1`) HTTP APIs on one port, like the API gateway. */
export function createSupabaseEmulator(options: SupabaseEmulatorOptions & { publicUrl: string; mailbox: MailStore }) {
  const keys: JwtKeys = { secret: options.jwtSecret, signingKey: options.signingKey ?? generateSigningKey() };
  const router = new Router();
  mountAuth(router, {
    sql: options.sql,
    keys,
    config: options.authConfig ?? readAuthConfig(),
    issuer: options.publicUrl,
    now: options.now ?? (() => Date.now()),
    mailbox: options.mailbox,
  });
  mountStorage(router, { sql: options.sql, keys, storageDir: options.storageDir });
  const routes = router.handler(() => authError(404, "not_found", "The requested path does not exist"));

  // Like Supabase's gateway: every request must carry a valid project key in `apikey`, and browsers on any
  // origin may call the API (the gateway answers CORS preflights for every route).
  const handler: FetchHandler = async (request) => {
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS_HEADERS });
    const response = await gatewayChecked(request);
    const headers = new Headers(response.headers);
    for (const [key, value] of Object.entries(CORS_HEADERS)) if (!headers.has(key)) headers.set(key, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  const gatewayChecked: FetchHandler = async (request) => {
    const url = new URL(request.url);
    const apikey = request.headers.get("apikey") ?? url.searchParams.get("apikey");
    const isSignedDownload = url.pathname.startsWith("/storage/v1/object/sign/") && request.method === "GET";
    if (!isSignedDownload && (!apikey || !verifyJwt(apikey, keys).ok)) {
      return Response.json(
        { message: "Invalid API key", hint: "Double check your Supabase `anon` or `service_role` API key." },
        { status: 401 },
      );
    }
    return routes(request);
  };
  return { handler };
}

export async function startSupabaseEmulator(options: SupabaseEmulatorOptions & { port: number }) {
  // Auth's mail lands in the local mailbox, beside the app's own (as `supabase start` sends it to Inbucket).
  const mailbox = new MailStore(options.sql);
  await mailbox.migrate();
  let publicUrl = options.publicUrl ?? "";
  const server = await serveFetchHandler((request) => emulator.handler(request), options.port);
  publicUrl ||= server.url;
  const emulator = createSupabaseEmulator({ ...options, publicUrl, mailbox });
  return { ...server, handler: emulator.handler };
}
