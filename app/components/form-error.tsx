/** A form's own error (not one field's), announced to screen readers; nothing when there is none. */
export function FormError({ message }: { message?: string }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}
