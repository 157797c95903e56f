import ts from "typescript";
import type { CheckContext } from "../check-context";
import type { Finding } from "../findings";
import { property, stringValue, unwrap } from "../project-scan";

const CHECK = "step-names-kebab-case";
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MIN_LENGTH = 3;

/**
 * WARN: step ids name each step in the dashboard and key its memoised result; a descriptive kebab-case id reads
 * well in both. Ids with interpolations (steps in a loop) are judged by their fixed parts.
 */
export function stepNamesKebabCase({ scan }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const step of scan.steps) {
    const first = step.args[0] && unwrap(step.args[0]);
    // step.run({ id, name }, fn) is the options form of the same call.
    const idNode = first && ts.isObjectLiteralExpression(first) ? property(first, "id") : first;
    const at = { severity: "WARN" as const, check: CHECK, file: step.file, line: step.line };
    const literal = stringValue(idNode);
    const template =
      idNode && ts.isTemplateExpression(idNode)
        ? [idNode.head.text, ...idNode.templateSpans.map((span) => `x${span.literal.text}`)].join("")
        : null;
    const id = literal ?? template;
    if (id === null) {
      findings.push({
        ...at,
        message: `step.${step.method} has no literal id, so its name cannot be checked.`,
        fix: "Pass a descriptive kebab-case string such as 'fetch-user'.",
      });
    } else if (!KEBAB.test(id) || id.length < MIN_LENGTH) {
      findings.push({
        ...at,
        message: `Step id "${literal ?? idNode!.getText()}" is not a descriptive kebab-case name.`,
        fix: "Use lowercase words joined by hyphens, like 'fetch-user' or 'send-email'.",
      });
    }
  }
  return findings;
}
