import { useLocation } from "@remix-run/react";
import { useState } from "react";

export interface Flash {
  id: string;
  message: string;
}

/**
 * The message an action left for the page it redirected to. It stays while the user is on that page, even when
 * the page re-polls its loaders (which clears the cookie), and goes at the next navigation.
 */
export function FlashMessage({ flash }: { flash: Flash | null }) {
  const location = useLocation();
  const [shown, setShown] = useState(flash ? { ...flash, locationKey: location.key } : null);
  if (flash && flash.id !== shown?.id) setShown({ ...flash, locationKey: location.key });
  const visible = shown && shown.locationKey === location.key ? shown : null;
  // The live region is always there, so a screen reader announces a message when it appears.
  return (
    <div role="status" className="flash-region">
      {visible ? <p className="flash">{visible.message}</p> : null}
    </div>
  );
}
