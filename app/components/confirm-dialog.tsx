import { Form } from "@remix-run/react";
import { useId, useRef, type ReactNode } from "react";

/**
 * A button that asks before it posts `fields` to the page's action: a native modal <dialog>, which keeps focus
 * inside it and closes on Escape. Focus starts on Cancel, the harmless choice, and goes back to the button
 * afterwards.
 */
export function ConfirmButton({
  children,
  question,
  detail,
  confirmLabel,
  fields,
}: {
  /** The button's content; give it the name of what it acts on when the page has several. */
  children: ReactNode;
  question: string;
  detail: string;
  confirmLabel: string;
  fields: Record<string, string>;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        type="button"
        ref={opener}
        className="secondary"
        aria-haspopup="dialog"
        onClick={() => {
          dialog.current?.showModal();
          cancel.current?.focus();
        }}
      >
        {children}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-question`}
        aria-describedby={`${id}-detail`}
        onClose={() => opener.current?.focus()}
      >
        <h2 id={`${id}-question`}>{question}</h2>
        <p id={`${id}-detail`}>{detail}</p>
        <Form method="post" onSubmit={() => dialog.current?.close()}>
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <div className="dialog-actions">
            <button type="button" ref={cancel} className="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="danger">
              {confirmLabel}
            </button>
          </div>
        </Form>
      </dialog>
    </>
  );
}
