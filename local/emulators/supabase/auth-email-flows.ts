import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import type postgres from "postgres";
import { json, type Router } from "../../http/router";
import type { UserRow } from "./auth";
import type { AuthConfig } from "./auth-config";
import type { AuthMailer } from "./auth-mailer";
import type { AuthRateLimiter } from "./auth-rate-limits";
import { authError } from "./gotrue-errors";
import { hashPassword, verifyPassword } from "./passwords";

/** What the email flows share with the rest of the Auth emulator (sessions, users, validation). */
export interface EmailFlowContext {
  sql: postgres.Sql;
  config: AuthConfig;
  issuer: string;
  now: () => number;
  limits: AuthRateLimiter;
  mailer: AuthMailer;
  userJson(user: UserRow): Record<string, unknown>;
  issueSession(user: UserRow, sessionId?: string, refreshToken?: string, method?: "password" | "otp"): Promise<object>;
  findUserByEmail(email: string): Promise<UserRow | undefined>;
  currentUser(request: Request): Promise<{ user: UserRow; claims: Record<string, unknown> } | Response>;
  checkEmail(email: unknown): Response | null;
  checkPassword(password: unknown): Response | null;
  createUser(
    email: string,
    password: string,
    metadata: Record<string, unknown>,
    confirmed: boolean,
  ): Promise<UserRow | undefined>;
}

type Body = Record<string, unknown>;
type LinkType = "signup" | "invite" | "magiclink" | "recovery" | "email_change" | "email";
const LINK_TYPES: readonly string[] = ["signup", "invite", "magiclink", "recovery", "email_change", "email"];

// GoTrue's answer to the first of the two confirmations of a change of address (double_confirm_changes).
const SINGLE_CONFIRMATION_ACCEPTED =
  "Confirmation link accepted. Please proceed to confirm link sent to the other email";

/**
 * GoTrue's mail-driven flows: sign-up with confirmation, `/verify` (links and codes), `/recover`, `/otp`, `/resend`
 * and `PUT /user` (new password, new address confirmed by mail). Each mail carries a one-time code; the user row
 * keeps the code's hash (SHA-224 of address + code, `pkce_`-prefixed when the client sent a PKCE challenge) and
 * when it was sent, as GoTrue's `auth.users` columns do.
 */
export function mountEmailFlows(router: Router, context: EmailFlowContext) {
  const { sql, config, limits, mailer } = context;
  // PKCE challenges waiting for their link, and the codes a followed link handed out (GoTrue's flow_state).
  const challenges = new Map<string, { challenge: string; method: string }>();
  const authCodes = new Map<string, { userId: string; challenge: string; method: string }>();

  const nowDate = () => new Date(context.now());
  const oneTimeCode = () => Array.from({ length: config.otpLength }, () => randomInt(10)).join("");
  const tokenHash = (address: string, code: string) =>
    createHash("sha224")
      .update(address + code)
      .digest("hex");

  const readBody = async (request: Request): Promise<Body | Response> => {
    const text = await request.text();
    if (text === "") return {};
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === "object" && !Array.isArray(body)) return body as Body;
      throw new Error("not an object");
    } catch (error) {
      return authError(400, "bad_json", `Could not parse request body as JSON: ${(error as Error).message}`);
    }
  };

  /** PKCE when the client sent a challenge: the link's token is prefixed and yields a code, not tokens. */
  const pkceOf = (body: Body, userId: string, flow: string): boolean => {
    if (typeof body.code_challenge !== "string" || body.code_challenge === "") return false;
    challenges.set(`${userId}:${flow}`, {
      challenge: body.code_challenge,
      method: String(body.code_challenge_method ?? "s256").toLowerCase(),
    });
    return true;
  };

  const redirectAllowed = (target: string): boolean => {
    let site: URL, wanted: URL;
    try {
      site = new URL(config.siteUrl);
      wanted = new URL(target);
    } catch {
      return false;
    }
    const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(wanted.hostname);
    if (
      wanted.hostname === site.hostname &&
      wanted.protocol === site.protocol &&
      (wanted.port === site.port || loopback)
    )
      return true;
    if (["127.0.0.1", "[::1]"].includes(wanted.hostname)) return true;
    const withoutFragment = target.split("#")[0]!;
    return config.additionalRedirectUrls.some((pattern) => globMatches(pattern, withoutFragment));
  };

  /** Where a mail's link leads afterwards: an allowed `redirect_to`, else an allowed Referer, else the site. */
  const referrer = (request: Request, url: URL): string => {
    const asked = url.searchParams.get("redirect_to") ?? "";
    if (redirectAllowed(asked)) return asked;
    const referer = request.headers.get("referer") ?? "";
    return redirectAllowed(referer) ? referer : config.siteUrl;
  };

  const verifyUrl = (token: string, type: string, redirectTo: string) =>
    `${context.issuer}/auth/v1/verify?token=${encodeURIComponent(token)}&type=${type}&redirect_to=${
      /[&=#]/.test(redirectTo) ? encodeURIComponent(redirectTo) : redirectTo
    }`;

  /**
   * GoTrue's two limits on a mail, checked before anything is written: one per kind per user per `max_frequency`,
   * and the project's hourly allowance (counted only when addresses need confirming, as GoTrue does).
   */
  const refuseSend = (lastSentAt: Date | null): Response | null => {
    if (lastSentAt) {
      const leftMs = lastSentAt.getTime() + config.maxFrequencySeconds * 1000 - context.now();
      if (leftMs > 0)
        return authError(
          429,
          "over_email_send_rate_limit",
          `For security purposes, you can only request this after ${Math.floor(leftMs / 1000)} seconds.`,
        );
    }
    if (config.emailConfirmations && !limits.allowEmail())
      return authError(429, "over_email_send_rate_limit", "email rate limit exceeded");
    return null;
  };

  const mailData = (user: UserRow, code: string, token: string, link: string, redirectTo: string) => ({
    SiteURL: config.siteUrl,
    ConfirmationURL: link,
    Email: user.email,
    Token: code,
    TokenHash: token,
    RedirectTo: redirectTo,
    Data: user.raw_user_meta_data,
  });

  const sendConfirmation = async (user: UserRow, redirectTo: string, pkce: boolean) => {
    const code = oneTimeCode();
    const token = `${pkce ? "pkce_" : ""}${tokenHash(user.email, code)}`;
    await sql`update auth.users set confirmation_token = ${token}, confirmation_sent_at = ${nowDate()}
      where id = ${user.id}`;
    await mailer.send(
      "confirmation",
      user.email,
      mailData(user, code, token, verifyUrl(token, "signup", redirectTo), redirectTo),
    );
  };

  const sendRecovery = async (user: UserRow, redirectTo: string, pkce: boolean, kind: "recovery" | "magiclink") => {
    const code = oneTimeCode();
    const token = `${pkce ? "pkce_" : ""}${tokenHash(user.email, code)}`;
    await sql`update auth.users set recovery_token = ${token}, recovery_sent_at = ${nowDate()} where id = ${user.id}`;
    const link = verifyUrl(token, kind, redirectTo);
    await mailer.send(
      kind === "recovery" ? "recovery" : "magic_link",
      user.email,
      mailData(user, code, token, link, redirectTo),
    );
  };

  /** A link to the new address, and with double_confirm_changes one to the current address too. */
  const sendEmailChange = async (user: UserRow, newEmail: string, redirectTo: string, pkce: boolean) => {
    const prefix = pkce ? "pkce_" : "";
    const newCode = oneTimeCode();
    const newToken = prefix + tokenHash(newEmail, newCode);
    const currentCode = oneTimeCode();
    const currentToken = config.doubleConfirmChanges ? prefix + tokenHash(user.email, currentCode) : null;
    await sql`update auth.users set email_change = ${newEmail}, email_change_token_new = ${newToken},
      email_change_token_current = ${currentToken}, email_change_confirm_status = 0,
      email_change_sent_at = ${nowDate()} where id = ${user.id}`;
    const mails: Array<[string, string, string]> = [[newEmail, newCode, newToken]];
    if (currentToken) mails.push([user.email, currentCode, currentToken]);
    for (const [to, code, token] of mails) {
      await mailer.send("email_change", to, {
        ...mailData(user, code, token, verifyUrl(token, "email_change", redirectTo), redirectTo),
        NewEmail: newEmail,
      });
    }
  };

  /**
   * What GoTrue answers a sign-up for an address that is already confirmed: a made-up, unconfirmed user like the
   * one a new address gets (only its role is blank, as GoTrue's sanitizeUser leaves it), and no mail.
   */
  const obfuscatedUser = (email: string, data: Body) => {
    const now = nowDate();
    const fake: UserRow = {
      id: randomUUID(),
      email,
      encrypted_password: null,
      email_confirmed_at: null,
      confirmation_token: null,
      confirmation_sent_at: now,
      recovery_token: null,
      recovery_sent_at: null,
      email_change: null,
      email_change_token_new: null,
      email_change_token_current: null,
      email_change_sent_at: null,
      email_change_confirm_status: 0,
      last_sign_in_at: null,
      raw_app_meta_data: { provider: "email", providers: ["email"] },
      raw_user_meta_data: data,
      created_at: now,
      updated_at: now,
    };
    return { ...context.userJson(fake), role: "" };
  };

  const reload = async (id: string) => (await sql<UserRow[]>`select * from auth.users where id = ${id}`)[0]!;

  router.post("/auth/v1/signup", async (request, _params, url) => {
    const limited = limits.checkAddress("signInSignUps", request);
    if (limited) return limited;
    if (!config.enableSignup) return authError(422, "signup_disabled", "Signups not allowed for this instance");
    const body = await readBody(request);
    if (body instanceof Response) return body;
    if (typeof body.password !== "string" || body.password === "")
      return authError(400, "validation_failed", "Signup requires a valid password");
    const invalid = context.checkPassword(body.password) ?? context.checkEmail(body.email);
    if (invalid) return invalid;
    const email = String(body.email).toLowerCase();
    const data = body.data && typeof body.data === "object" && !Array.isArray(body.data) ? (body.data as Body) : {};
    const existing = await context.findUserByEmail(email);
    if (!config.emailConfirmations) {
      const user = existing ? undefined : await context.createUser(email, body.password, data, true);
      if (!user) return authError(422, "user_already_exists", "User already registered");
      await sql`update auth.users set last_sign_in_at = ${nowDate()} where id = ${user.id}`;
      return json(await context.issueSession(user));
    }
    if (existing?.email_confirmed_at) return json(obfuscatedUser(email, data));
    // A new address, or one never confirmed (its password and data stay as they were: nobody proved them).
    const refused = refuseSend(existing?.confirmation_sent_at ?? null);
    if (refused) return refused;
    const user =
      existing ??
      (await context.createUser(email, body.password, data, false)) ??
      (await context.findUserByEmail(email))!;
    await sendConfirmation(user, referrer(request, url), pkceOf(body, user.id, "signup"));
    return json(context.userJson(await reload(user.id)));
  });

  /** The user a link or code belongs to, with the link used up, or the GoTrue error to answer with. */
  const redeem = async (
    type: LinkType,
    token: string,
    viaCode: boolean,
    email?: string,
  ): Promise<{ user: UserRow } | "first-of-two" | Response> => {
    const invalid = () =>
      authError(
        403,
        "otp_expired",
        viaCode ? "Token has expired or is invalid" : "Email link is invalid or has expired",
      );
    const columns: Record<LinkType, Array<[keyof UserRow, keyof UserRow]>> = {
      signup: [["confirmation_token", "confirmation_sent_at"]],
      invite: [["confirmation_token", "confirmation_sent_at"]],
      recovery: [["recovery_token", "recovery_sent_at"]],
      magiclink: [["recovery_token", "recovery_sent_at"]],
      email: [
        ["confirmation_token", "confirmation_sent_at"],
        ["recovery_token", "recovery_sent_at"],
      ],
      email_change: [
        ["email_change_token_new", "email_change_sent_at"],
        ["email_change_token_current", "email_change_sent_at"],
      ],
    };
    const forms = [token, `pkce_${token}`];
    for (const [tokenColumn, sentColumn] of columns[type]) {
      const [user] = await sql<UserRow[]>`select * from auth.users
        where ${sql(tokenColumn)} in ${sql(forms)} and deleted_at is null
        ${email ? sql`and (lower(email) = ${email} or lower(email_change) = ${email})` : sql``}`;
      if (!user) continue;
      const sentAt = user[sentColumn] as Date | null;
      if (!sentAt || context.now() > sentAt.getTime() + config.otpExpirySeconds * 1000) return invalid();
      const confirmed = user.email_confirmed_at ?? nowDate();
      if (tokenColumn === "confirmation_token") {
        await sql`update auth.users set confirmation_token = null, email_confirmed_at = ${confirmed},
          raw_user_meta_data = raw_user_meta_data || '{"email_verified": true}' where id = ${user.id}`;
      } else if (tokenColumn === "recovery_token") {
        await sql`update auth.users set recovery_token = null, email_confirmed_at = ${confirmed} where id = ${user.id}`;
      } else if (
        config.emailConfirmations &&
        config.doubleConfirmChanges &&
        user.email_change_confirm_status === 0 &&
        user.email
      ) {
        await sql`update auth.users set email_change_confirm_status = 1, ${sql(tokenColumn)} = null
          where id = ${user.id}`;
        return "first-of-two";
      } else {
        await sql`update auth.users set email = email_change, email_change = null, email_change_token_new = null,
          email_change_token_current = null, email_change_confirm_status = 0, email_confirmed_at = ${confirmed},
          updated_at = ${nowDate()} where id = ${user.id}`;
      }
      return { user: await reload(user.id) };
    }
    return invalid();
  };

  router.post("/auth/v1/verify", async (request) => {
    const limited = limits.checkAddress("tokenVerifications", request);
    if (limited) return limited;
    const body = await readBody(request);
    if (body instanceof Response) return body;
    const type = typeof body.type === "string" ? body.type : "";
    if (!type) return authError(400, "validation_failed", "Verify requires a verification type");
    const code = typeof body.token === "string" ? body.token : "";
    const hash = typeof body.token_hash === "string" ? body.token_hash : "";
    if ((code === "") === (hash === ""))
      return authError(400, "validation_failed", "Verify requires either a token or a token hash");
    if (!LINK_TYPES.includes(type)) return authError(400, "validation_failed", "Invalid email verification type");
    let outcome: Awaited<ReturnType<typeof redeem>>;
    if (code) {
      if (typeof body.email !== "string" || body.email === "")
        return authError(
          400,
          "validation_failed",
          "Only an email address or phone number should be provided on verify",
        );
      if (context.checkEmail(body.email)) return authError(422, "validation_failed", "Invalid email format");
      const email = body.email.toLowerCase();
      outcome = await redeem(type as LinkType, tokenHash(email, code), true, email);
    } else {
      if (body.email || body.phone || body.redirect_to)
        return authError(400, "validation_failed", "Only the token_hash and type should be provided");
      outcome = await redeem(type as LinkType, hash, false);
    }
    if (outcome instanceof Response) return outcome;
    if (outcome === "first-of-two") return json({ msg: SINGLE_CONFIRMATION_ACCEPTED, code: "200" });
    return json(await context.issueSession(outcome.user, undefined, undefined, "otp"));
  });

  // The link as GoTrue mails it by default: verify, then redirect with the session in the fragment (implicit
  // flow) or with a code to exchange (PKCE), or with the error.
  router.get("/auth/v1/verify", async (request, _params, url) => {
    const limited = limits.checkAddress("tokenVerifications", request);
    if (limited) return limited;
    const type = url.searchParams.get("type") ?? "";
    const token = url.searchParams.get("token") ?? "";
    if (!type) return authError(400, "validation_failed", "Verify requires a verification type");
    if (!token) return authError(400, "validation_failed", "Verify requires a token or a token hash");
    const redirectTo = referrer(request, url);
    const target = new URL(redirectTo);
    const outcome = LINK_TYPES.includes(type)
      ? await redeem(type as LinkType, token, false)
      : authError(400, "validation_failed", "Unsupported verification type");
    const pkce = token.startsWith("pkce_");
    if (outcome instanceof Response) {
      const error = (await outcome.json()) as { code: number; error_code: string; msg: string };
      const fragment = new URLSearchParams({ error: OAUTH_ERRORS[error.code] ?? "server_error" });
      fragment.set("error_code", error.error_code);
      fragment.set("error_description", error.msg);
      if (pkce) for (const [key, value] of fragment) target.searchParams.set(key, value);
      fragment.set("sb", "");
      target.hash = fragment.toString();
    } else if (outcome === "first-of-two") {
      target.hash = new URLSearchParams({ message: SINGLE_CONFIRMATION_ACCEPTED, sb: "" }).toString();
    } else if (pkce) {
      const flows = type === "email" ? ["signup", "recovery"] : [FLOW_OF_TYPE[type] ?? type];
      const flow = flows.map((name) => challenges.get(`${outcome.user.id}:${name}`)).find(Boolean);
      if (!flow) return authError(400, "flow_state_not_found", "No associated flow state found.");
      const code = randomUUID();
      authCodes.set(code, { userId: outcome.user.id, ...flow });
      target.searchParams.set("code", code);
    } else {
      const session = (await context.issueSession(outcome.user, undefined, undefined, "otp")) as Record<
        string,
        unknown
      >;
      const fragment = new URLSearchParams();
      for (const key of ["access_token", "expires_at", "expires_in", "refresh_token", "token_type"])
        fragment.set(key, String(session[key]));
      fragment.set("type", type);
      target.hash = fragment.toString();
    }
    return new Response(null, { status: 303, headers: { location: target.toString() } });
  });

  router.post("/auth/v1/recover", async (request, _params, url) => {
    const limited = limits.checkAddress("signInSignUps", request);
    if (limited) return limited;
    const body = await readBody(request);
    if (body instanceof Response) return body;
    if (!body.email) return authError(400, "validation_failed", "Password recovery requires an email");
    const invalid = context.checkEmail(body.email);
    if (invalid) return invalid;
    // The same answer whether or not the address has an account.
    const user = await context.findUserByEmail(String(body.email));
    if (!user) return json({});
    const refused = refuseSend(user.recovery_sent_at);
    if (refused) return refused;
    await sendRecovery(user, referrer(request, url), pkceOf(body, user.id, "recovery"), "recovery");
    return json({});
  });

  router.post("/auth/v1/otp", async (request, _params, url) => {
    const limited = limits.checkAddress("signInSignUps", request);
    if (limited) return limited;
    const body = await readBody(request);
    if (body instanceof Response) return body;
    if (!body.email) return authError(400, "validation_failed", "One of email or phone must be set");
    const invalid = context.checkEmail(body.email);
    if (invalid) return invalid;
    const email = String(body.email).toLowerCase();
    const data = body.data && typeof body.data === "object" && !Array.isArray(body.data) ? (body.data as Body) : {};
    const existing = await context.findUserByEmail(email);
    const redirectTo = referrer(request, url);
    if (!existing?.email_confirmed_at) {
      if (body.create_user === false) return authError(422, "otp_disabled", "Signups not allowed for otp");
      if (!config.enableSignup) return authError(422, "signup_disabled", "Signups not allowed for this instance");
      const refused = refuseSend(config.emailConfirmations ? (existing?.confirmation_sent_at ?? null) : null);
      if (refused) return refused;
      const password = randomBytes(24).toString("base64url");
      const user =
        existing ??
        (await context.createUser(email, password, data, !config.emailConfirmations)) ??
        (await context.findUserByEmail(email))!;
      if (config.emailConfirmations) await sendConfirmation(user, redirectTo, pkceOf(body, user.id, "signup"));
      else await sendRecovery(user, redirectTo, pkceOf(body, user.id, "recovery"), "magiclink");
      return json({});
    }
    const refused = refuseSend(existing.recovery_sent_at);
    if (refused) return refused;
    await sendRecovery(existing, redirectTo, pkceOf(body, existing.id, "recovery"), "magiclink");
    return json({});
  });

  router.post("/auth/v1/resend", async (request, _params, url) => {
    const limited = limits.checkAddress("signInSignUps", request);
    if (limited) return limited;
    const body = await readBody(request);
    if (body instanceof Response) return body;
    if (body.type !== "signup" && body.type !== "email_change")
      return authError(400, "validation_failed", "Missing one of these types: signup, email_change, sms, phone_change");
    if (!body.email) return authError(400, "validation_failed", "Type provided requires an email address");
    const invalid = context.checkEmail(body.email);
    if (invalid) return invalid;
    const user = await context.findUserByEmail(String(body.email));
    const redirectTo = referrer(request, url);
    if (body.type === "signup") {
      if (!user || user.email_confirmed_at) return json({});
      const refused = refuseSend(user.confirmation_sent_at);
      if (refused) return refused;
      await sendConfirmation(user, redirectTo, pkceOf(body, user.id, "signup"));
    } else {
      if (!user?.email_change) return json({});
      const refused = refuseSend(user.email_change_sent_at);
      if (refused) return refused;
      await sendEmailChange(user, user.email_change, redirectTo, pkceOf(body, user.id, "email_change"));
    }
    return json({});
  });

  router.put("/auth/v1/user", async (request, _params, url) => {
    const current = await context.currentUser(request);
    if (current instanceof Response) return current;
    const limited = limits.checkAddress("signInSignUps", request);
    if (limited) return limited;
    const body = await readBody(request);
    if (body instanceof Response) return body;
    const { user } = current;
    // Every check first, so a refused request changes nothing.
    const password = body.password;
    if (password !== undefined && password !== null) {
      const weak = context.checkPassword(password);
      if (weak) return weak;
      if (await verifyPassword(String(password), user.encrypted_password))
        return authError(422, "same_password", "New password should be different from the old password.");
    }
    const wantedEmail = typeof body.email === "string" && body.email !== "" ? body.email.toLowerCase() : null;
    const newEmail = wantedEmail && wantedEmail !== user.email ? wantedEmail : null;
    if (body.email !== undefined && typeof body.email !== "string")
      return authError(400, "validation_failed", "Unable to validate email address: invalid format");
    if (newEmail) {
      const invalid = context.checkEmail(newEmail);
      if (invalid) return invalid;
      if (await context.findUserByEmail(newEmail))
        return authError(422, "email_exists", "A user with this email address has already been registered");
      const refused = refuseSend(user.email_change_sent_at);
      if (refused) return refused;
    }
    const data = body.data && typeof body.data === "object" && !Array.isArray(body.data) ? (body.data as Body) : null;

    if (typeof password === "string") {
      // As GoTrue: a new password voids every pending link and ends the user's other sessions.
      const hash = await hashPassword(password);
      await sql`update auth.users set encrypted_password = ${hash}, confirmation_token = null,
        confirmation_sent_at = null, recovery_token = null, recovery_sent_at = null, email_change_token_new = null,
        email_change_token_current = null, email_change_sent_at = null, updated_at = ${nowDate()}
        where id = ${user.id}`;
      await sql`delete from auth.sessions where user_id = ${user.id} and id <> ${String(current.claims.session_id)}`;
    }
    if (data)
      await sql`update auth.users set raw_user_meta_data = raw_user_meta_data || ${sql.json(data as postgres.JSONValue)},
        updated_at = ${nowDate()} where id = ${user.id}`;
    if (newEmail)
      await sendEmailChange(
        await reload(user.id),
        newEmail,
        referrer(request, url),
        pkceOf(body, user.id, "email_change"),
      );
    return json(context.userJson(await reload(user.id)));
  });

  return {
    /** `grant_type=pkce`: the code a followed link handed out, for the verifier whose challenge started the flow. */
    async exchangeAuthCode(body: Body): Promise<Response> {
      const code = typeof body.auth_code === "string" ? body.auth_code : "";
      const verifier = typeof body.code_verifier === "string" ? body.code_verifier : "";
      if (!code || !verifier)
        return authError(
          400,
          "validation_failed",
          "invalid request: both auth code and code verifier should be non-empty",
        );
      const flow = authCodes.get(code);
      if (!flow) return authError(404, "flow_state_not_found", "invalid flow state, no valid flow state found");
      const expected = flow.method === "plain" ? verifier : createHash("sha256").update(verifier).digest("base64url");
      if (expected !== flow.challenge)
        return authError(400, "bad_code_verifier", "code challenge does not match previously saved code verifier");
      authCodes.delete(code);
      return json(await context.issueSession(await reload(flow.userId), undefined, undefined, "otp"));
    },
  };
}

const FLOW_OF_TYPE: Record<string, string> = { magiclink: "recovery", invite: "signup" };

const OAUTH_ERRORS: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized_client",
  403: "access_denied",
  500: "server_error",
  503: "temporarily_unavailable",
};

/** GoTrue's allow-list globs: `*` stops at `.` and `/`, `**` does not. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^./]*"),
    )
    .join(".*");
  return new RegExp(`^${source}$`).test(value);
}
