import { render } from "preact";
import { App } from "./app.tsx";
import "./styles/base.css";
import "./styles/components.css";
import "./styles/screens.css";

const root = document.getElementById("app");
if (root !== null) render(<App />, root);

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  });
}
