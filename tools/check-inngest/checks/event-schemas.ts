import ts from "typescript";
import { functionLabel, loadedFunctionOf, type CheckContext } from "../check-context";
import type { Finding } from "../findings";
import { property, stringValue } from "../project-scan";

const CHECK = "event-schemas";

/**
 * WARN: events should be typed so payloads are checked where they are sent and received. Typed means the client
 * declares schemas (v3 `schemas: new EventSchemas().fromRecord<Events>()`, which types every send and trigger), or,
 * in v4, each trigger is an `eventType(name, { schema })` and events are sent with its `.create(data)`, the only
 * payloads the SDK validates at send time.
 */
export function eventSchemas(context: CheckContext): Finding[] {
  const { scan } = context;
  if (scan.clients.some((client) => property(client.options, "schemas") !== undefined)) return [];
  const variableOfEvent = new Map([...scan.eventTypes].map(([variable, name]) => [name, variable]));
  const findings: Finding[] = [];
  for (const site of scan.functions) {
    const loaded = loadedFunctionOf(context, site);
    site.triggers.forEach((trigger, index) => {
      const eventNode = ts.isObjectLiteralExpression(trigger) ? property(trigger, "event") : trigger;
      if (!eventNode || loaded?.triggerHasSchema[index] === true) return;
      const name = stringValue(eventNode);
      // An eventType imported under a name the scan has not seen is trusted unless the import shows it bare.
      const untyped =
        name !== null ||
        (ts.isIdentifier(eventNode) &&
          !scan.eventTypes.has(eventNode.text) &&
          loaded?.triggerHasSchema[index] === false);
      if (!untyped) return;
      findings.push({
        severity: "WARN",
        check: CHECK,
        file: site.file,
        line: site.line,
        message: `Function ${functionLabel(context, site)} is triggered by ${name ? `"${name}"` : eventNode.getText(site.source)}, an event without a schema.`,
        fix:
          name && variableOfEvent.has(name)
            ? `Use the declared ${variableOfEvent.get(name)} in triggers instead of { event: "${name}" }.`
            : `Declare it with eventType("${name ?? "app/event.name"}", { schema: z.object({...}) }) and list that in triggers (v3: schemas: new EventSchemas().fromRecord<Events>() on the client).`,
      });
    });
  }
  for (const send of scan.sends) {
    const variable = variableOfEvent.get(send.name);
    findings.push({
      severity: "WARN",
      check: CHECK,
      file: send.file,
      line: send.line,
      message: variable
        ? `${send.via} sends "${send.name}" as a plain object, which bypasses ${variable}'s schema.`
        : `${send.via} sends "${send.name}", an event without a schema.`,
      fix: variable
        ? `Send ${variable}.create(data) so the payload is validated before it leaves.`
        : `Declare it with eventType("${send.name}", { schema }) and send eventType.create(data).`,
    });
  }
  return findings;
}
