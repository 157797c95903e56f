import { explainDuration, judgeDuration } from "../../check-inngest/durations.js";

/** Step methods whose options carry a `timeout` duration. */
const TIMEOUT_METHODS = new Set(["waitForEvent", "invoke", "waitForSignal"]);

/**
 * Inngest durations the SDK cannot parse as written: "1h30m" (several units), "2 fortnights" (unknown unit),
 * "0s" or "-5m". They parse to nothing and the step does not wait at all, with no error. Checked where the SDK
 * parses them: step.sleep's duration, the `timeout` of waitForEvent/invoke/waitForSignal, and `cancelOn` timeouts
 * in createFunction's options.
 * @type {import("eslint").Rule.RuleModule}
 */
export const noCompoundDuration = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow Inngest duration strings that the SDK parses to nothing, such as '1h30m', which make steps not wait at all",
    },
    messages: {
      compound: "{{problem}} {{fix}}",
      unparsed: "{{problem}} {{fix}}",
    },
    schema: [],
  },
  create(context) {
    /** @param {import("estree").Node | undefined | null} node */
    const check = (node) => {
      const text = literalText(node);
      if (text === null || !node) return;
      const verdict = judgeDuration(text);
      // Bare numbers such as "5000" do wait (as milliseconds); check:inngest warns about them, this rule does not.
      if (verdict === "ok" || verdict === "no-unit") return;
      const explained = explainDuration(text);
      context.report({
        node,
        messageId: verdict === "compound" ? "compound" : "unparsed",
        data: { problem: explained?.problem ?? "", fix: explained?.fix ?? "" },
      });
    };
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier") return;
        const method = callee.property.name;
        const onStep = callee.object.type === "Identifier" && callee.object.name === "step";
        if (onStep && method === "sleep") check(/** @type {import("estree").Node} */ (node.arguments[1]));
        if (onStep && TIMEOUT_METHODS.has(method)) check(propertyValue(node.arguments[1], "timeout"));
        if (method === "createFunction") {
          const cancelOn = propertyValue(node.arguments[0], "cancelOn");
          if (cancelOn?.type === "ArrayExpression")
            for (const element of cancelOn.elements) check(propertyValue(element, "timeout"));
        }
      },
    };
  },
};

/**
 * @param {import("estree").Node | undefined | null} node
 * @returns {string | null}
 */
function literalText(node) {
  if (node?.type === "Literal" && typeof node.value === "string") return node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/**
 * @param {import("estree").Node | undefined | null} node
 * @param {string} name
 * @returns {import("estree").Node | undefined}
 */
function propertyValue(node, name) {
  if (node?.type !== "ObjectExpression") return undefined;
  for (const property of node.properties) {
    if (property.type !== "Property") continue;
    const key =
      property.key.type === "Identifier"
        ? property.key.name
        : property.key.type === "Literal"
          ? property.key.value
          : undefined;
    if (key === name) return property.value;
  }
  return undefined;
}
