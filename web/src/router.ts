/** Hash routing: `#/files` → ["files"]; `#/history/12` → ["history", "12"]. */
import { useEffect, useState } from "preact/hooks";

function parse(): string[] {
  const hash = window.location.hash.replace(/^#\/?/, "");
  return hash
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const onChange = () => setRoute(parse());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function navigate(path: string): void {
  window.location.hash = `#/${path}`;
}
