/** A button that runs an async action, shows it is busy, and says why it is disabled. */
import type { ComponentChildren } from "preact";
import { useId, useState } from "preact/hooks";
import { confirmAction } from "./confirm-dialog.tsx";

export interface ActionButtonProps {
  testid: string;
  label: string;
  /** Why the button cannot be used now; null/undefined: it can. */
  blocked?: string | null;
  onClick: () => unknown;
  /** Ask this first (confirm-dialog); `onClick` runs only on yes. */
  confirm?: string;
  /** The confirmation's yes button. */
  confirmYes?: string;
  variant?: "primary" | "danger" | "plain" | "big";
  children?: ComponentChildren;
  class?: string;
}

export function ActionButton({
  testid,
  label,
  blocked,
  onClick,
  confirm,
  confirmYes,
  variant = "plain",
  children,
  class: cls,
}: ActionButtonProps) {
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const disabled = Boolean(blocked) || busy;
  const run = async () => {
    if (disabled) return;
    setBusy(true);
    try {
      if (confirm === undefined || (await confirmAction(confirm, confirmYes))) await onClick();
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class={`btn btn-${variant}${cls ? ` ${cls}` : ""}`}
        data-testid={testid}
        aria-label={label}
        title={blocked ?? label}
        disabled={disabled}
        aria-busy={busy}
        aria-describedby={blocked ? reasonId : undefined}
        onClick={() => void run()}
      >
        {children ?? label}
      </button>
      {blocked ? (
        <span id={reasonId} class="sr-only">
          {blocked}
        </span>
      ) : null}
    </>
  );
}
