import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";
import { guardPage } from "../../app/documents/extract-pdf-text.server";

// The guard around every page's reading: a page that never finishes (pdf.js looping on a damaged file) or that
// balloons the process (a decompression bomb) fails its step by page number instead of running the function
// into its own time limit or out of memory. Running late may be a busy machine, so that is retried; ballooning
// is the file's doing, so it is not.

describe("the per-page guard", () => {
  it("gives up on a page that runs past its time limit, naming the page, and lets the step retry", async () => {
    const failure = await guardPage(7, "read", () => new Promise<never>(() => {}), { timeLimitMs: 30 }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(NonRetriableError);
    expect((failure as Error).message).toBe("Page 7 took longer than 0.03 s to read; the PDF may be damaged.");
  });

  it("fails a page that grows the process past its memory limit for good", async () => {
    const balloon = () => Promise.resolve(new Uint8Array(8 * 1024 * 1024).fill(1));
    const failure = await guardPage(3, "read with OCR", balloon, { memoryLimitBytes: 1024 * 1024 }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NonRetriableError);
    expect((failure as Error).message).toBe("Page 3 needed more than 1 MB to read with OCR; the PDF may be damaged.");
  });

  it("passes a page's result through when it stays within both limits", async () => {
    await expect(guardPage(1, "read", async () => "Hello", { timeLimitMs: 1000 })).resolves.toBe("Hello");
  });
});
