import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

/** The mails GoTrue writes from a template, by their config.toml names (`[auth.email.template.<name>]`). */
export const EMAIL_TEMPLATES = ["confirmation", "recovery", "magic_link", "email_change"] as const;
export type EmailTemplateName = (typeof EMAIL_TEMPLATES)[number];

export interface EmailTemplate {
  subject: string;
  /** HTML with GoTrue's `{{ .Name }}` placeholders. */
  content: string;
}

/** GoTrue's rate limits, as `supabase start` passes `[auth.rate_limit]` to it. */
export interface AuthRateLimits {
  /** Emails per hour across the project; null when unlimited (no `[auth.email.smtp]`, as `supabase start` does). */
  emailSentPerHour: number | null;
  /** Sign-ups, recovery, OTP, resend and user updates per client address per 5 minutes (`sign_in_sign_ups`). */
  signInSignUps: number;
  /** `/verify` calls per client address per 5 minutes (`token_verifications`). */
  tokenVerifications: number;
  /** Password and refresh token grants per client address per 5 minutes (`token_refresh`). */
  tokenRefresh: number;
}

/** The `[auth]` settings of supabase/config.toml that the Auth emulator follows, as `supabase start` would. */
export interface AuthConfig {
  /** Lifetime of an access token, in seconds (`jwt_expiry`). */
  jwtExpirySeconds: number;
  /** Whether a refresh token works once (`enable_refresh_token_rotation`). */
  refreshTokenRotation: boolean;
  /** How long a rotated refresh token may still be used, in seconds (`refresh_token_reuse_interval`). */
  refreshTokenReuseIntervalSeconds: number;
  /** Where email links go when the request names no allowed `redirect_to` (`site_url`). */
  siteUrl: string;
  /** Other URLs a `redirect_to` may match, with `*` and `**` wildcards (`additional_redirect_urls`). */
  additionalRedirectUrls: string[];
  minimumPasswordLength: number;
  /** Whether anyone may create an account (`enable_signup`). */
  enableSignup: boolean;
  /** Whether a new address must be confirmed from its mailbox before it can sign in (`enable_confirmations`). */
  emailConfirmations: boolean;
  /** Whether a change of address is confirmed from both the old and the new mailbox (`double_confirm_changes`). */
  doubleConfirmChanges: boolean;
  /** The least time between two mails of one kind to one user, in seconds (`max_frequency`). */
  maxFrequencySeconds: number;
  otpLength: number;
  /** How long an email link works, in seconds (`otp_expiry`). */
  otpExpirySeconds: number;
  /** The sender of Auth's mails (`[inbucket] admin_email` and `sender_name`, or SMTP's when configured). */
  sender: string;
  rateLimits: AuthRateLimits;
  templates: Record<EmailTemplateName, EmailTemplate>;
}

const CONFIG_FILE = path.resolve(import.meta.dirname, "../../../supabase/config.toml");

// GoTrue's own templates and subjects (internal/mailer/templatemailer), for a template config.toml leaves out.
const DEFAULT_TEMPLATES: Record<EmailTemplateName, EmailTemplate> = {
  confirmation: {
    subject: "Confirm your email address",
    content: `<h2>Confirm your email address</h2>\n\n<p>Follow the link below to confirm this email address and finish signing up.</p>\n<p><a href="{{ .ConfirmationURL }}">Confirm email address</a></p>\n`,
  },
  recovery: {
    subject: "Reset your password",
    content: `<h2>Reset your password</h2>\n\n<p>We received a request to reset your password. Follow the link below to choose a new one.</p>\n<p><a href="{{ .ConfirmationURL }}">Reset password</a></p>\n<p>If you didn't request this, you can safely ignore this email.</p>`,
  },
  magic_link: {
    subject: "Your sign-in link",
    content: `<h2>Your sign-in link</h2>\n\n<p>Follow the link below to sign in. This link expires shortly and can only be used once.</p>\n<p><a href="{{ .ConfirmationURL }}">Sign in</a></p>`,
  },
  email_change: {
    subject: "Confirm your new email address",
    content: `<h2>Confirm your new email address</h2>\n\n<p>Follow the link below to confirm {{ .NewEmail }} as your new email address.</p>\n<p><a href="{{ .ConfirmationURL }}">Confirm new email address</a></p>\n<p>If you didn't request this change, you can safely ignore this email.</p>`,
  },
};

type Table = Record<string, unknown>;

export function readAuthConfig(file = CONFIG_FILE): AuthConfig {
  const root = parse(readFileSync(file, "utf8")) as Table;
  const auth = (root.auth ?? {}) as Table;
  const email = (auth.email ?? {}) as Table;
  const limits = (auth.rate_limit ?? {}) as Table;
  const smtp = (email.smtp ?? {}) as Table;
  const inbucket = (root.inbucket ?? {}) as Table;
  const whole = (section: string, table: Table, key: string, fallback: number) => {
    const value = table[key] ?? fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      throw new Error(`${file}: [${section}] ${key} must be a whole number, not ${JSON.stringify(value)}`);
    return value;
  };
  const smtpEnabled = smtp.enabled === true;
  // The project's directory: template paths in config.toml are relative to it (`./supabase/templates/…`).
  const projectDir = path.dirname(path.dirname(file));
  const templates = { ...DEFAULT_TEMPLATES };
  for (const name of EMAIL_TEMPLATES) {
    const given = ((email.template ?? {}) as Table)[name] as Table | undefined;
    if (!given) continue;
    templates[name] = {
      subject: typeof given.subject === "string" ? given.subject : DEFAULT_TEMPLATES[name].subject,
      content:
        typeof given.content_path === "string"
          ? readFileSync(path.resolve(projectDir, given.content_path), "utf8")
          : DEFAULT_TEMPLATES[name].content,
    };
  }
  const senderAddress = String((smtpEnabled ? smtp.admin_email : inbucket.admin_email) ?? "admin@email.com");
  const senderName = String((smtpEnabled ? smtp.sender_name : inbucket.sender_name) ?? "Admin");
  // For a key the file leaves out, GoTrue's own default (or the CLI's, where the CLI sets one).
  return {
    jwtExpirySeconds: whole("auth", auth, "jwt_expiry", 3600),
    refreshTokenRotation: auth.enable_refresh_token_rotation !== false,
    refreshTokenReuseIntervalSeconds: whole("auth", auth, "refresh_token_reuse_interval", 0),
    siteUrl: String(auth.site_url ?? "http://127.0.0.1:3000"),
    additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls)
      ? auth.additional_redirect_urls.map(String)
      : [],
    minimumPasswordLength: whole("auth", auth, "minimum_password_length", 6),
    enableSignup: auth.enable_signup !== false && email.enable_signup !== false,
    emailConfirmations: email.enable_confirmations === true,
    doubleConfirmChanges: email.double_confirm_changes !== false,
    maxFrequencySeconds: goDurationSeconds(String(email.max_frequency ?? "1s"), `${file}: [auth.email] max_frequency`),
    otpLength: whole("auth.email", email, "otp_length", 6),
    otpExpirySeconds: whole("auth.email", email, "otp_expiry", 3600),
    sender: `${senderName} <${senderAddress}>`,
    rateLimits: {
      // `supabase start` lifts the email limit unless the project brings its own SMTP server.
      emailSentPerHour: smtpEnabled ? whole("auth.rate_limit", limits, "email_sent", 2) : null,
      signInSignUps: whole("auth.rate_limit", limits, "sign_in_sign_ups", 30),
      tokenVerifications: whole("auth.rate_limit", limits, "token_verifications", 30),
      tokenRefresh: whole("auth.rate_limit", limits, "token_refresh", 150),
    },
    templates,
  };
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration string ("1s", "1m30s", "90s"), as GoTrue reads `max_frequency`, in seconds. */
function goDurationSeconds(value: string, where: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value)
    throw new Error(`${where} must be a duration such as "1s" or "1m", not ${JSON.stringify(value)}`);
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_SECONDS[unit!]!, 0);
}
