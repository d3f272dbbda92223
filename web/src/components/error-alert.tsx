/** An error message announced to screen readers; nothing when there is none. */
export function ErrorAlert({ error, testid }: { error: string | null; testid?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" data-testid={testid}>
      {error}
    </p>
  );
}
