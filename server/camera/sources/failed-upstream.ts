import type { FrameUpstream } from "./camera-source.ts";

/**
 * An upstream that failed before it opened: onEnd(err) follows on a later tick, or onEnd(null) if
 * close() comes first, as the contract of openStream has it.
 */
export function failedUpstream(err: Error, onEnd: (err: Error | null) => void): FrameUpstream {
  let ended = false;
  const end = (reason: Error | null) => {
    if (ended) return;
    ended = true;
    onEnd(reason);
  };
  const timer = setImmediate(() => end(err));
  return {
    close() {
      if (ended) return;
      clearImmediate(timer);
      setImmediate(() => end(null));
    },
  };
}
