import { syncInngestApp } from "./sync-inngest-app.js";

// Netlify runs onSuccess once the deploy is live, so the PUT reaches the code that was just deployed.
export const onSuccess = async ({ inputs, utils }) => {
  const result = await syncInngestApp({ env: process.env, path: inputs.path });
  if (result.ok) console.log(result.message);
  // A failed sync must not undo a good deploy; it shows in the deploy log and Inngest keeps the last sync.
  else utils.status.show({ title: "Inngest sync failed", summary: result.message });
};
