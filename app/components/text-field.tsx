export interface TextFieldProps {
  name: string;
  label: string;
  type?: string;
  error?: string;
  defaultValue?: string;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
}

/** A labelled input with its error announced to screen readers. */
export function TextField(props: TextFieldProps) {
  const errorId = `${props.name}-error`;
  return (
    <div>
      <label htmlFor={props.name}>{props.label}</label>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete}
        required={props.required}
        minLength={props.minLength}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
      />
      {props.error ? (
        <p className="field-error" id={errorId} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** The account's email address, asked the same way on every page that signs someone in or sends them a link. */
export function EmailField(props: { error?: string; defaultValue?: string }) {
  return <TextField name="email" label="Email" type="email" autoComplete="email" required {...props} />;
}
