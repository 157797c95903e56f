import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

/** The `[auth]` settings of supabase/config.toml that the Auth emulator follows, as `supabase start` would. */
export interface AuthConfig {
  /** Lifetime of an access token, in seconds (`jwt_expiry`). */
  jwtExpirySeconds: number;
  /** Whether a refresh token works once (`enable_refresh_token_rotation`). */
  refreshTokenRotation: boolean;
  /** How long a rotated refresh token may still be used, in seconds (`refresh_token_reuse_interval`). */
  refreshTokenReuseIntervalSeconds: number;
}

const CONFIG_FILE = path.resolve(import.meta.dirname, "../../../supabase/config.toml");

export function readAuthConfig(file = CONFIG_FILE): AuthConfig {
  const auth = (parse(readFileSync(file, "utf8")).auth ?? {}) as Record<string, unknown>;
  const seconds = (key: string, fallback: number) => {
    const value = auth[key] ?? fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      throw new Error(`${file}: [auth] ${key} must be a whole number of seconds, not ${JSON.stringify(value)}`);
    return value;
  };
  // For a key the file leaves out, GoTrue's own default.
  return {
    jwtExpirySeconds: seconds("jwt_expiry", 3600),
    refreshTokenRotation: auth.enable_refresh_token_rotation !== false,
    refreshTokenReuseIntervalSeconds: seconds("refresh_token_reuse_interval", 0),
  };
}
