import { judgeDuration } from "../check-inngest/durations.js";

/** step.sleep("id", "<duration>") and the `timeout` of waitForEvent/invoke take one-unit duration strings. */
const noCompoundDuration = {
  meta: {
    type: "problem",
    docs: { description: "Disallow Inngest duration strings the SDK cannot parse (e.g. '1h30m'), which make sleeps run immediately" },
    messages: {
      compound: "'{{value}}' combines units; Inngest reads one unit per duration and would not wait at all. Use a single unit, e.g. '90m'.",
      unknown: "'{{value}}' is not a duration Inngest understands; use a number and one unit, e.g. '30s', '10m', '24h'.",
    },
    schema: [],
  },
  create(context) {
    const report = (node) => {
      if (node?.type !== "Literal" || typeof node.value !== "string") return;
      const verdict = judgeDuration(node.value);
      if (verdict !== "ok") context.report({ node, messageId: verdict === "compound" ? "compound" : "unknown", data: { value: node.value } });
    };
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== "MemberExpression" || callee.object.type !== "Identifier" || callee.object.name !== "step") return;
        const method = callee.property.name;
        if (method === "sleep") report(node.arguments[1]);
        if (method === "waitForEvent" || method === "invoke") {
          const options = node.arguments[1];
          const timeout = options?.type === "ObjectExpression" ? options.properties.find((p) => p.key?.name === "timeout") : undefined;
          report(timeout?.value);
        }
      },
    };
  },
};

export default { meta: { name: "eslint-plugin-stepwise" }, rules: { "no-compound-duration": noCompoundDuration } };
