/** One term of a `<dl class="facts">`: a caption over its value. */
import type { ComponentChildren } from "preact";

export function Fact({
  label,
  testid,
  children,
}: {
  label: string;
  testid?: string;
  children: ComponentChildren;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testid}>{children}</dd>
    </div>
  );
}
