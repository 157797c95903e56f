/** The password rules of supabase/config.toml (`minimum_password_length`) and GoTrue (bcrypt reads 72 bytes). */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_BYTES = 72;

/** What is wrong with a new password, in words for the form, or null. Any printable Unicode is welcome. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== "string" || [...password].length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (/\p{Cc}/u.test(password)) return "Use letters, digits, spaces and symbols only, no control characters.";
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES)
    return `Use at most ${MAX_PASSWORD_BYTES} bytes (about that many letters).`;
  return null;
}
