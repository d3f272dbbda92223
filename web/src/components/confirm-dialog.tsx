/** A modal confirmation: `confirmAction("Cancel the print?")` resolves true on yes. */
import { useEffect, useRef } from "preact/hooks";
import { createStore, useStore } from "../state/store.ts";

interface Pending {
  message: string;
  yes: string;
  resolve: (ok: boolean) => void;
}

const store = createStore<{ pending: Pending | null }>({ pending: null });

export function confirmAction(message: string, yes = "Yes"): Promise<boolean> {
  store.get().pending?.resolve(false);
  return new Promise((resolve) => store.set({ pending: { message, yes, resolve } }));
}

function answer(ok: boolean): void {
  const p = store.get().pending;
  store.set({ pending: null });
  p?.resolve(ok);
}

export function ConfirmHost() {
  const pending = useStore(store, (s) => s.pending);
  const noRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!pending) return;
    noRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") answer(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [pending]);
  if (!pending) return null;
  return (
    <div class="modal-backdrop">
      <div
        class="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-message"
        data-testid="confirm-dialog"
      >
        <p id="confirm-message">{pending.message}</p>
        <div class="modal-actions">
          <button
            type="button"
            ref={noRef}
            class="btn btn-plain"
            data-testid="confirm-no"
            aria-label="No, keep it"
            onClick={() => answer(false)}
          >
            No
          </button>
          <button
            type="button"
            class="btn btn-danger"
            data-testid="confirm-yes"
            aria-label={pending.yes}
            onClick={() => answer(true)}
          >
            {pending.yes}
          </button>
        </div>
      </div>
    </div>
  );
}
