/** Terminal: the live serial log with a filter; operators send G-code lines. */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { CheckField, TextInput } from "../components/form-fields.tsx";
import { GatedButton } from "../components/gated-button.tsx";
import { notify, sendTerminal, subscribeTerminal, useLive, usePermission } from "../state/live.ts";

const TEMP_REPORT = /^(ok )?T:\d/;

export function TerminalScreen() {
  const lines = useLive((s) => s.terminal);
  const online = useLive((s) => s.online);
  const canUse = usePermission("terminal");
  const [filter, setFilter] = useState("");
  const [hideTemps, setHideTemps] = useState(true);
  const [line, setLine] = useState("");
  const log = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    if (!canUse) return;
    subscribeTerminal(true);
    return () => subscribeTerminal(false);
  }, [canUse, online]);

  useLayoutEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  if (!canUse)
    return (
      <p class="card muted" data-testid="terminal-forbidden">
        Your role cannot use the terminal.
      </p>
    );

  const f = filter.toLowerCase();
  const shown = lines.filter(
    (l) => (!hideTemps || !TEMP_REPORT.test(l.text)) && l.text.toLowerCase().includes(f),
  );
  const send = async () => {
    const text = line.trim();
    if (text === "") return;
    const ack = await sendTerminal(text);
    if (ack.ok) setLine("");
    else notify("error", ack.error.message);
  };

  return (
    <div class="stack terminal">
      <div class="row wrap">
        <TextInput
          type="search"
          class="search grow"
          placeholder="Filter"
          label="Filter the log"
          testid="terminal-filter"
          value={filter}
          onValue={setFilter}
        />
        <CheckField
          label="Hide temperature reports"
          caption="Hide temperatures"
          testid="terminal-hide-temps"
          checked={hideTemps}
          onValue={setHideTemps}
        />
      </div>
      <pre
        role="log"
        class="log"
        ref={log}
        data-testid="terminal-log"
        aria-label="Terminal log"
        aria-live="off"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 20;
        }}
      >
        {shown.map((l, i) => (
          <div key={i} class={`log-${l.dir}`}>
            {l.dir === "send" ? "> " : ""}
            {l.text}
          </div>
        ))}
      </pre>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <TextInput
          class="grow mono"
          placeholder="G-code, e.g. M115"
          autocapitalize="characters"
          autocomplete="off"
          spellcheck={false}
          label="G-code line to send"
          testid="terminal-input"
          value={line}
          onValue={setLine}
        />
        <GatedButton gate="terminal" testid="terminal-send" label="Send" variant="primary" onClick={send} />
      </form>
    </div>
  );
}
