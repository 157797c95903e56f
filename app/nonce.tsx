import { createContext, useContext } from "react";

/**
 * The CSP nonce of the page being rendered. entry.server.tsx provides it; in the browser it is empty, as browsers
 * hide nonce values from the DOM anyway.
 */
export const NonceContext = createContext("");

export const useNonce = () => useContext(NonceContext);
