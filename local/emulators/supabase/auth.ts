import { randomBytes, randomUUID } from "node:crypto";
import type postgres from "postgres";
import { json, Router } from "../../http/router";
import { authError } from "./gotrue-errors";
import { signJwt, verifyBearerJwt } from "./jwt";
import { hashPassword, verifyPassword } from "./passwords";

const ACCESS_TOKEN_SECONDS = 3600;
const MIN_PASSWORD_LENGTH = 8;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

interface UserRow {
  id: string;
  email: string;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export interface AuthOptions {
  sql: postgres.Sql;
  jwtSecret: string;
  /** The project URL, for the tokens' `iss`. */
  issuer: string;
}

/** The GoTrue endpoints Stepwise uses, storing users, sessions and rotating refresh tokens in `auth.*`. */
export function mountAuth(router: Router, options: AuthOptions) {
  const { sql, jwtSecret } = options;

  const userJson = (user: UserRow) => ({
    id: user.id,
    aud: "authenticated",
    role: "authenticated",
    email: user.email,
    email_confirmed_at: user.email_confirmed_at?.toISOString() ?? null,
    phone: "",
    confirmed_at: user.email_confirmed_at?.toISOString() ?? null,
    last_sign_in_at: user.last_sign_in_at?.toISOString() ?? null,
    app_metadata: user.raw_app_meta_data,
    user_metadata: user.raw_user_meta_data,
    identities: [],
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
    is_anonymous: false,
  });

  const issueSession = async (user: UserRow, sessionId?: string, parentToken?: string) => {
    const session =
      sessionId ??
      (await sql<{ id: string }[]>`insert into auth.sessions (user_id) values (${user.id}) returning id`)[0]!.id;
    const refreshToken = randomBytes(24).toString("base64url");
    await sql`insert into auth.refresh_tokens (token, user_id, session_id, parent) values (${refreshToken}, ${user.id}, ${session}, ${parentToken ?? null})`;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: "authenticated",
      exp: now + ACCESS_TOKEN_SECONDS,
      iat: now,
      iss: `${options.issuer}/auth/v1`,
      sub: user.id,
      email: user.email,
      phone: "",
      app_metadata: user.raw_app_meta_data,
      user_metadata: user.raw_user_meta_data,
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: "password", timestamp: now }],
      session_id: session,
      is_anonymous: false,
    };
    return {
      access_token: signJwt(claims, jwtSecret),
      token_type: "bearer",
      expires_in: ACCESS_TOKEN_SECONDS,
      expires_at: now + ACCESS_TOKEN_SECONDS,
      refresh_token: refreshToken,
      user: userJson(user),
    };
  };

  const findUserByEmail = async (email: string) =>
    (await sql<UserRow[]>`select * from auth.users where lower(email) = lower(${email}) and deleted_at is null`)[0];

  /** The signed-in user behind a request's access token, or the GoTrue error to answer with. */
  const currentUser = async (
    request: Request,
  ): Promise<{ user: UserRow; claims: Record<string, unknown> } | Response> => {
    const check = verifyBearerJwt(request, jwtSecret);
    if (!check.ok) return authError(403, "bad_jwt", check.reason);
    if (check.claims.role !== "authenticated" || typeof check.claims.sub !== "string")
      return authError(403, "bad_jwt", "invalid claim: missing sub claim");
    const [session] = await sql`select 1 from auth.sessions where id = ${String(check.claims.session_id)}`;
    if (!session) return authError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
    const [user] = await sql<UserRow[]>`select * from auth.users where id = ${check.claims.sub}`;
    if (!user) return authError(403, "user_not_found", "User from sub claim in JWT does not exist");
    return { user, claims: check.claims };
  };

  const checkCredentials = (email: unknown, password: unknown): Response | null => {
    if (typeof email !== "string" || !EMAIL.test(email))
      return authError(400, "validation_failed", "Unable to validate email address: invalid format");
    if (typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH) {
      return authError(422, "weak_password", `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, {
        weak_password: { reasons: ["length"] },
      });
    }
    return null;
  };

  const createUser = async (email: string, password: string, metadata: Record<string, unknown>) => {
    const hash = await hashPassword(password);
    const [user] = await sql<UserRow[]>`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data)
      values (${email.toLowerCase()}, ${hash}, now(), ${sql.json(metadata as postgres.JSONValue)})
      on conflict (email) do nothing returning *`;
    return user;
  };

  router.post("/auth/v1/signup", async (request) => {
    const body = (await request.json().catch(() => ({}))) as {
      email?: unknown;
      password?: unknown;
      data?: Record<string, unknown>;
    };
    const invalid = checkCredentials(body.email, body.password);
    if (invalid) return invalid;
    const user = await createUser(String(body.email), String(body.password), body.data ?? {});
    if (!user) return authError(422, "user_already_exists", "User already registered");
    await sql`update auth.users set last_sign_in_at = now() where id = ${user.id}`;
    return json(await issueSession(user));
  });

  router.post("/auth/v1/token", async (request, _params, url) => {
    const grant = url.searchParams.get("grant_type");
    const body = (await request.json().catch(() => ({}))) as {
      email?: string;
      password?: string;
      refresh_token?: string;
    };
    if (grant === "password") {
      const user = body.email ? await findUserByEmail(body.email) : undefined;
      if (!user || !(await verifyPassword(body.password ?? "", user.encrypted_password))) {
        return authError(400, "invalid_credentials", "Invalid login credentials");
      }
      await sql`update auth.users set last_sign_in_at = now() where id = ${user.id}`;
      return json(await issueSession(user));
    }
    if (grant === "refresh_token") {
      // Rotation: a refresh token works once; reusing it is refused.
      const [token] = await sql<{ user_id: string; session_id: string; revoked: boolean }[]>`
        update auth.refresh_tokens set revoked = true where token = ${body.refresh_token ?? ""} and revoked = false
        returning user_id, session_id, revoked`;
      if (!token) {
        const [known] = await sql`select 1 from auth.refresh_tokens where token = ${body.refresh_token ?? ""}`;
        return known
          ? authError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")
          : authError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
      }
      const [user] = await sql<UserRow[]>`select * from auth.users where id = ${token.user_id}`;
      return json(await issueSession(user!, token.session_id, body.refresh_token));
    }
    return authError(400, "unsupported_grant_type", "unsupported_grant_type");
  });

  router.get("/auth/v1/user", async (request) => {
    const current = await currentUser(request);
    return current instanceof Response ? current : json(userJson(current.user));
  });

  router.put("/auth/v1/user", async (request) => {
    const current = await currentUser(request);
    if (current instanceof Response) return current;
    const body = (await request.json().catch(() => ({}))) as {
      email?: string;
      password?: string;
      data?: Record<string, unknown>;
    };
    if (body.password !== undefined && body.password.length < MIN_PASSWORD_LENGTH) {
      return authError(422, "weak_password", `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, {
        weak_password: { reasons: ["length"] },
      });
    }
    if (body.email !== undefined && !EMAIL.test(body.email))
      return authError(400, "validation_failed", "Unable to validate email address: invalid format");
    const hash = body.password ? await hashPassword(body.password) : null;
    const [user] = await sql<UserRow[]>`
      update auth.users set
        email = coalesce(${body.email?.toLowerCase() ?? null}, email),
        encrypted_password = coalesce(${hash}, encrypted_password),
        raw_user_meta_data = raw_user_meta_data || ${sql.json((body.data ?? {}) as postgres.JSONValue)},
        updated_at = now()
      where id = ${current.user.id} returning *`;
    return json(userJson(user!));
  });

  router.post("/auth/v1/logout", async (request, _params, url) => {
    const current = await currentUser(request);
    if (current instanceof Response) return current;
    const scope = url.searchParams.get("scope") ?? "global";
    const sessionId = String(current.claims.session_id);
    if (scope === "local") await sql`delete from auth.sessions where id = ${sessionId}`;
    else if (scope === "others")
      await sql`delete from auth.sessions where user_id = ${current.user.id} and id <> ${sessionId}`;
    else await sql`delete from auth.sessions where user_id = ${current.user.id}`;
    return new Response(null, { status: 204 });
  });

  const requireServiceRole = (request: Request): Response | null => {
    const check = verifyBearerJwt(request, jwtSecret);
    if (!check.ok) return authError(403, "bad_jwt", check.reason);
    return check.claims.role === "service_role" ? null : authError(403, "not_admin", "User not allowed");
  };

  router.post("/auth/v1/admin/users", async (request) => {
    const denied = requireServiceRole(request);
    if (denied) return denied;
    const body = (await request.json().catch(() => ({}))) as {
      email?: unknown;
      password?: unknown;
      user_metadata?: Record<string, unknown>;
    };
    const invalid = checkCredentials(body.email, body.password ?? randomUUID());
    if (invalid) return invalid;
    const user = await createUser(String(body.email), String(body.password ?? randomUUID()), body.user_metadata ?? {});
    return user
      ? json(userJson(user))
      : authError(422, "email_exists", "A user with this email address has already been registered");
  });
  router.get("/auth/v1/admin/users", async (request, _params, url) => {
    const denied = requireServiceRole(request);
    if (denied) return denied;
    const perPage = Math.min(Number(url.searchParams.get("per_page")) || 50, 1000);
    const page = Math.max(Number(url.searchParams.get("page")) || 1, 1);
    const users = await sql<
      UserRow[]
    >`select * from auth.users where deleted_at is null order by created_at limit ${perPage} offset ${(page - 1) * perPage}`;
    return json({ users: users.map(userJson), aud: "authenticated" });
  });
  router.get("/auth/v1/admin/users/:id", async (request, { id }) => {
    const denied = requireServiceRole(request);
    if (denied) return denied;
    const [user] = await sql<UserRow[]>`select * from auth.users where id::text = ${id!}`;
    return user ? json(userJson(user)) : authError(404, "user_not_found", "User not found");
  });
  router.delete("/auth/v1/admin/users/:id", async (request, { id }) => {
    const denied = requireServiceRole(request);
    if (denied) return denied;
    const deleted = await sql`delete from auth.users where id::text = ${id!} returning id`;
    return deleted.length ? json({}) : authError(404, "user_not_found", "User not found");
  });

  router.get("/auth/v1/settings", () =>
    json({
      external: { email: true },
      disable_signup: false,
      mailer_autoconfirm: true,
      phone_autoconfirm: false,
      sms_provider: "",
    }),
  );
  // HS256 projects publish no asymmetric keys; supabase-js then verifies tokens with GET /user instead.
  router.get("/auth/v1/.well-known/jwks.json", () => json({ keys: [] }));
}
