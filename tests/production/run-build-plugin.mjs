// Runs a Netlify build plugin's event handler as Netlify Build does: in a process whose environment is the build's
// (CONTEXT, BRANCH, HEAD, URL, DEPLOY_PRIME_URL, the UI variables with the Builds scope), called with
// { inputs, constants, netlifyConfig, utils }. Netlify's edge routes each deploy's https hostname to that deploy;
// here `routes` maps those origins to the local processes standing in for the deployed functions.
//
// Usage: node run-build-plugin.mjs <plugin dir> <event> <json: { inputs, constants, netlifyConfig, routes }>
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pluginDir, event, json] = process.argv.slice(2);
const { inputs, constants, netlifyConfig, routes } = JSON.parse(json);

const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const target = routes[url.origin];
  if (!target) return Promise.reject(new Error(`getaddrinfo ENOTFOUND ${url.hostname}`));
  return realFetch(new URL(url.pathname + url.search, target), init);
};

const statuses = [];
const utils = {
  status: { show: (status) => statuses.push(status) },
  build: {
    failBuild: (message) => statuses.push({ failBuild: message }),
    failPlugin: (message) => statuses.push({ failPlugin: message }),
  },
};
const plugin = await import(pathToFileURL(path.join(pluginDir, "index.js")).href);
await plugin[event]({ inputs, constants, netlifyConfig, utils });
console.log(`STATUSES ${JSON.stringify(statuses)}`);
