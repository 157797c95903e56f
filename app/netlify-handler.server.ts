import { createRequestHandler as createNetlifyRequestHandler } from "@netlify/remix-adapter";
import { addSecurityHeaders } from "./security-headers.server";

/**
 * The Netlify function's handler: @netlify/remix-adapter's, plus the security headers on every response, resource
 * routes (/api/inngest, /healthz, webhooks) included, which no Remix entry hook sees. vite.config.ts points the
 * adapter's generated function at this module.
 */
export const createRequestHandler: typeof createNetlifyRequestHandler = (options) => {
  const handle = createNetlifyRequestHandler(options);
  return async (request, context) => {
    const response = await handle(request, context);
    if (response) addSecurityHeaders(response.headers);
    return response;
  };
};
