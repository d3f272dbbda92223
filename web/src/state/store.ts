/** A tiny observable store: `set` merges a patch, `useStore` re-renders when the selected value changes. */
import { useEffect, useRef, useState } from "preact/hooks";

export interface Store<S> {
  get: () => S;
  set: (patch: Partial<S> | ((s: S) => Partial<S>)) => void;
  subscribe: (listener: () => void) => () => void;
}

export function createStore<S>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      const p = typeof patch === "function" ? patch(state) : patch;
      state = { ...state, ...p };
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStore<S, T>(store: Store<S>, select: (s: S) => T): T {
  const [value, setValue] = useState(() => select(store.get()));
  const selectRef = useRef(select);
  selectRef.current = select;
  useEffect(() => {
    const update = () => {
      const next = selectRef.current(store.get());
      setValue((prev) => (Object.is(prev, next) ? prev : next));
    };
    update();
    return store.subscribe(update);
  }, [store]);
  return value;
}
