/** Form inputs bound to a value: text input, labelled text/number field, checkbox, select. */
import type { ComponentChildren, InputHTMLAttributes } from "preact";

interface Named {
  /** The aria-label; also the visible caption unless `caption` is given. */
  label: string;
  caption?: ComponentChildren;
  testid: string;
  disabled?: boolean;
}

interface TextProps extends Named {
  value: string;
  onValue: (v: string) => void;
  type?: "text" | "password" | "search";
  class?: string;
  placeholder?: string;
  autocomplete?: string;
  autocapitalize?: "characters";
  spellcheck?: boolean;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}

// preact types `type` as a union of per-type attribute sets; these attributes suit every type here.
const inputAttrs = ({ label, caption: _, testid, onValue, ...attrs }: TextProps) =>
  ({
    ...attrs,
    "data-testid": testid,
    "aria-label": label,
    onInput: (e: { currentTarget: HTMLInputElement }) => onValue(e.currentTarget.value),
  }) as InputHTMLAttributes;

/** A bare input (no caption). */
export function TextInput(props: TextProps) {
  return <input {...inputAttrs(props)} />;
}

/** An input under its caption. */
export function TextField(props: TextProps) {
  return (
    <label>
      {props.caption ?? props.label}
      <input {...inputAttrs(props)} />
    </label>
  );
}

export function NumberField(
  props: Named & {
    value: number;
    onValue: (n: number) => void;
    min: number;
    max: number;
    step?: number | "any";
    type?: "number" | "range";
    /** The caption beside the input rather than above it. */
    inline?: boolean;
  },
) {
  return (
    <label class={props.inline ? "inline" : undefined}>
      {props.caption ?? props.label}
      <input
        type={props.type ?? "number"}
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        disabled={props.disabled}
        data-testid={props.testid}
        aria-label={props.label}
        onInput={(e) => props.onValue(Number(e.currentTarget.value))}
      />
    </label>
  );
}

export function CheckField(props: Named & { checked: boolean; onValue: (on: boolean) => void }) {
  return (
    <label class="check">
      <input
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        data-testid={props.testid}
        aria-label={props.label}
        onChange={(e) => props.onValue(e.currentTarget.checked)}
      />
      {props.caption ?? props.label}
    </label>
  );
}

type SelectProps = Named & { value: string; onValue: (v: string) => void; children: ComponentChildren };

const selectAttrs = ({ label, testid, value, disabled, onValue }: SelectProps) => ({
  value,
  disabled,
  "data-testid": testid,
  "aria-label": label,
  onChange: (e: { currentTarget: HTMLSelectElement }) => onValue(e.currentTarget.value),
});

/** A bare select (no caption). */
export function Select(props: SelectProps) {
  return <select {...selectAttrs(props)}>{props.children}</select>;
}

/** A select under its caption. */
export function SelectField(props: SelectProps) {
  return (
    <label>
      {props.caption ?? props.label}
      <select {...selectAttrs(props)}>{props.children}</select>
    </label>
  );
}
