import { Form, useRevalidator } from "@remix-run/react";
import { useRef, useState } from "react";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_PAGES, MAX_DOCUMENT_SIZE_TEXT } from "~/documents/limits";

/** What is wrong with a chosen file before it is sent, or null. The server, Storage and the workflow check again. */
async function checkFile(file: File): Promise<string | null> {
  if (file.size === 0) return "The file is empty.";
  if (file.size > MAX_DOCUMENT_BYTES) return `The file is larger than ${MAX_DOCUMENT_SIZE_TEXT}.`;
  if (file.type && file.type !== "application/pdf") return "Choose a PDF file.";
  if ((await file.slice(0, 5).text()) !== "%PDF-") return "The file is not a PDF.";
  return null;
}

async function postJson(body: Record<string, unknown>) {
  const response = await fetch("/documents/upload", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ error: "The upload failed." }));
  if (!response.ok) throw new Error(answer.error ?? "The upload failed.");
  return answer;
}

/** PUTs the file to a signed upload URL as storage-js's uploadToSignedUrl does, reporting progress. */
function putToStorage(url: string, apikey: string, file: File, onProgress: (percent: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const body = new FormData();
    body.append("cacheControl", "3600");
    body.append("", file);
    const request = new XMLHttpRequest();
    request.upload.onprogress = (event) =>
      event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    request.onload = () => {
      if (request.status < 400) return resolve();
      const message = (() => {
        try {
          return JSON.parse(request.responseText).message as string;
        } catch {
          return request.statusText;
        }
      })();
      reject(new Error(`Storage refused the file: ${message}`));
    };
    request.onerror = () => reject(new Error("The upload failed; check your connection and try again."));
    request.open("PUT", url);
    request.setRequestHeader("apikey", apikey);
    request.setRequestHeader("x-upsert", "false");
    request.send(body);
  });
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

  async function send(file: File) {
    const problem = await checkFile(file);
    if (problem) return setError(problem);
    setError(null);
    setProgress(0);
    try {
      // 1. The app checks the file and records it; 2. the file goes straight to Storage (no function body
      // limit in the way); 3. the app checks it arrived and starts processing.
      const started = await postJson({ intent: "start", fileName: file.name, size: file.size, type: file.type });
      await putToStorage(started.signedUrl, started.apikey, file, setProgress);
      await postJson({ intent: "finish", documentId: started.documentId });
      if (input.current) input.current.value = "";
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The upload failed.");
    } finally {
      setProgress(null);
      revalidator.revalidate();
    }
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
        void send(file);
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
        if (file) void send(file);
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
