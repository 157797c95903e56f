import { Form, useRevalidator } from "@remix-run/react";
import { useRef, useState } from "react";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_PAGES, MAX_DOCUMENT_SIZE_TEXT } from "~/documents/limits";

/** What is wrong with a chosen file before it is sent, or null. The server checks again. */
function checkFile(file: File): string | null {
  if (file.size === 0) return "The file is empty.";
  if (file.size > MAX_DOCUMENT_BYTES) return `The file is larger than ${MAX_DOCUMENT_SIZE_TEXT}.`;
  if (file.type && file.type !== "application/pdf") return "Choose a PDF file.";
  return null;
}

/**
 * Upload by picker or drag and drop, with a progress bar when JavaScript runs; without it the form posts
 * to the page's action and still works.
 */
export function DocumentUploader({ serverError }: { serverError?: string }) {
  const revalidator = useRevalidator();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  function send(file: File) {
    const problem = checkFile(file);
    if (problem) return setError(problem);
    setError(null);
    setProgress(0);
    const body = new FormData();
    body.append("file", file);
    const request = new XMLHttpRequest();
    request.upload.onprogress = (event) =>
      event.lengthComputable && setProgress(Math.round((event.loaded / event.total) * 100));
    request.onload = () => {
      setProgress(null);
      if (request.status >= 400) setError(JSON.parse(request.responseText).error ?? "The upload failed.");
      if (input.current) input.current.value = "";
      revalidator.revalidate();
    };
    request.onerror = () => {
      setProgress(null);
      setError("The upload failed; check your connection and try again.");
    };
    request.open("POST", "/documents/upload");
    request.send(body);
  }

  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className={`dropzone${dragging ? " dragging" : ""}`}
      onSubmit={(event) => {
        const file = input.current?.files?.[0];
        if (!file) return;
        event.preventDefault();
        send(file);
      }}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        const file = event.dataTransfer.files[0];
        if (file) send(file);
      }}
    >
      <input type="hidden" name="intent" value="upload" />
      <label htmlFor="file">
        Drop a PDF here, or choose one (up to {MAX_DOCUMENT_SIZE_TEXT}, {MAX_DOCUMENT_PAGES} pages)
      </label>
      <input id="file" ref={input} name="file" type="file" accept="application/pdf,.pdf" required />
      <p>
        <button type="submit" disabled={progress !== null}>
          {progress !== null ? "Uploading…" : "Upload"}
        </button>
      </p>
      {progress !== null ? <progress max={100} value={progress} aria-label="Upload progress" /> : null}
      {error || serverError ? (
        <p className="field-error" role="alert">
          {error ?? serverError}
        </p>
      ) : null}
    </Form>
  );
}
