import { useLocation } from "@remix-run/react";
import { useState } from "react";

export interface Flash {
  id: string;
  message: string;
}

/**
 * The message an action left for the page it redirected to. It stays while the user is on that page, even when
 * the page re-polls its loaders (which clears the cookie), and is gone for good at the next navigation, Back
 * included.
 */
export function FlashMessage({ flash }: { flash: Flash | null }) {
  const location = useLocation();
  const [state, setState] = useState(() => ({
    lastId: flash?.id ?? null,
    shown: flash ? { message: flash.message, locationKey: location.key } : null,
  }));
  // Adjusting state while rendering (not in an effect) keeps the message from flashing up on the wrong page.
  if (flash && flash.id !== state.lastId)
    setState({ lastId: flash.id, shown: { message: flash.message, locationKey: location.key } });
  else if (state.shown && state.shown.locationKey !== location.key) setState({ ...state, shown: null });
  // The live region is always there, so a screen reader announces a message when it appears.
  return (
    <div role="status" className="flash-region">
      {state.shown?.locationKey === location.key ? <p className="flash">{state.shown.message}</p> : null}
    </div>
  );
}
