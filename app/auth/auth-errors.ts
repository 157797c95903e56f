/** GoTrue's error codes, as the field and message a form should show. */
export function fieldErrorFor(
  code: string | undefined,
  message: string,
): { field: "email" | "password" | "form"; message: string } {
  switch (code) {
    case "user_already_exists":
    case "email_exists":
      return { field: "email", message: "An account with this email already exists. Sign in instead." };
    case "weak_password":
      return { field: "password", message: "Use at least 8 characters." };
    case "validation_failed":
    case "email_address_invalid":
      return { field: "email", message: "Enter a valid email address." };
    case "invalid_credentials":
      return { field: "form", message: "Wrong email or password." };
    default:
      return { field: "form", message: message || "Something went wrong; please try again." };
  }
}
