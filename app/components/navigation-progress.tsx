import { useNavigation } from "@remix-run/react";

/**
 * A bar across the top of the window while the next page loads or a form is sent. The CSS shows it only after a
 * short delay, so quick navigations do not flicker; a page polling its own data is not a navigation.
 */
export function NavigationProgress() {
  const navigation = useNavigation();
  if (navigation.state === "idle") return null;
  return (
    <div
      className="nav-progress"
      role="progressbar"
      aria-label={navigation.state === "submitting" ? "Sending" : "Loading"}
    >
      <div className="nav-progress-bar" />
    </div>
  );
}
