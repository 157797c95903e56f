import type { CheckContext } from "../check-context";
import type { Finding } from "../findings";

const CHECK = "serve-handler-present";

/**
 * CRITICAL: Inngest reaches functions only through a route that calls serve(). In Remix that route must export
 * the handler as `action` too: Inngest syncs with PUT and runs steps with POST, which Remix sends to `action`
 * (GET introspection goes to `loader`).
 */
export function serveHandlerPresent({ scan }: CheckContext): Finding[] {
  if (scan.serveCalls.length === 0) {
    return [
      {
        severity: "CRITICAL",
        check: CHECK,
        file: "app/routes/api.inngest.ts",
        line: 1,
        message: "Inngest requires a serve handler to receive events; no file calls serve() from an inngest adapter.",
        fix: 'Create app/routes/api.inngest.ts: import { serve } from "inngest/remix"; const handler = serve({ client: inngest, functions }); export { handler as action, handler as loader };',
      },
    ];
  }
  const findings: Finding[] = [];
  for (const call of scan.serveCalls) {
    const info = scan.files.find((file) => file.path === call.file)!;
    if (!/(^|\/)app\/routes\//.test(call.file)) continue;
    if (!info.exports.has("action")) {
      findings.push({
        severity: "CRITICAL",
        check: CHECK,
        file: call.file,
        line: call.line,
        message:
          "The serve handler is not exported as the route's action, so Inngest's PUT (sync) and POST (run a step) never reach it.",
        fix: "Export it as both: export { handler as action, handler as loader };",
      });
    }
    if (!info.exports.has("loader")) {
      findings.push({
        severity: "WARN",
        check: CHECK,
        file: call.file,
        line: call.line,
        message: "The serve handler is not exported as the route's loader, so Inngest's GET introspection fails.",
        fix: "Export it as both: export { handler as action, handler as loader };",
      });
    }
  }
  return findings;
}
