// Runs a built Netlify function the way Netlify's Functions runtime does, as its own process: the parent gives it
// only the environment a deployed function sees (the UI variables with the Functions scope plus URL, SITE_NAME
// and SITE_ID). Each request arrives as a Web Request for the deploy's public https origin, with the Host header
// Netlify's edge forwards, and the function's default export answers it with (Request, Context).
//
// Usage: node netlify-function-host.mjs <function file> <public origin> <port>
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";

const [functionFile, publicOrigin, port] = process.argv.slice(2);
const { default: handler } = await import(pathToFileURL(functionFile).href);
const origin = new URL(publicOrigin);

const server = createServer(async (req, res) => {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    headers.set("host", origin.host);
    headers.set("x-forwarded-proto", origin.protocol.replace(":", ""));
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(new URL(req.url ?? "/", origin), {
      method: req.method,
      headers,
      body: hasBody ? Readable.toWeb(req) : undefined,
      duplex: hasBody ? "half" : undefined,
    });
    const context = {
      site: { id: process.env.SITE_ID, name: process.env.SITE_NAME, url: process.env.URL },
      geo: {},
      ip: "203.0.113.7",
      requestId: `sim-${Date.now()}`,
      params: {},
    };
    const response = await handler(request, context);
    const out = {};
    response.headers.forEach((value, name) => {
      out[name] = name === "set-cookie" ? response.headers.getSetCookie() : value;
    });
    res.writeHead(response.status, out);
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  } catch (error) {
    // Netlify answers a crashed invocation with its own 502; the error goes to the function log.
    console.error(error);
    res.writeHead(502).end();
  }
});
server.listen(Number(port), "127.0.0.1", () => console.log(`listening ${port}`));
