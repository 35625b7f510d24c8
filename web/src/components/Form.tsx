import {
  useId,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiError } from '../api/client.js';
import { FormattingToolbar, handleFormattingKey } from './FormattingToolbar.js';

/** The error for one field, when the server named that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.message : undefined;
}

/** An error not tied to a named field of this form, for the form-level message. */
export function formError(error: unknown, fields: string[]): string | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError)
    return error.field && fields.includes(error.field) ? undefined : error.message;
  return 'Something went wrong. Please try again.';
}

export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert">
      {message}
    </div>
  );
}

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string;
  /** A class for the frame besides `field` (a form's own layout). */
  frameClassName?: string;
}

/** What ties a control to its label, hint and error for assistive technology. */
interface ControlWiring {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** The frame every field shares: label, the control, then its hint and error. */
function FieldFrame({
  label,
  hint,
  error,
  frameClassName,
  control,
}: FieldProps & { control: (wiring: ControlWiring) => ReactNode }) {
  const id = useId();
  const describedBy = `${hint ? `${id}-hint` : ''} ${error ? `${id}-error` : ''}`.trim();
  return (
    <div className={frameClassName ? `field ${frameClassName}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {control({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <div className="error" id={`${id}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

/** A labelled input whose hint and error are tied to it for assistive technology. */
export function Field({
  label,
  hint,
  error,
  frameClassName,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      frameClassName={frameClassName}
      control={(wiring) => <input {...wiring} {...input} />}
    />
  );
}

/** The server's rule for a new password (at least 8 characters), said once for every form that sets one. */
export const PASSWORD_MIN_LENGTH = 8;

/**
 * A field for choosing a password: the rule as `minLength` and as the hint
 * (`hint` adds to it), and the browser's password manager told it is new.
 */
export function NewPasswordField({
  label = 'Password',
  hint,
  ...input
}: Partial<Omit<FieldProps, 'hint'>> & { hint?: string } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    'type'
  >) {
  const rule = `At least ${PASSWORD_MIN_LENGTH} characters.`;
  return (
    <Field
      label={label}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN_LENGTH}
      hint={hint ? `${rule} ${hint}` : rule}
      {...input}
    />
  );
}

/**
 * A labelled textarea, wired like {@link Field}. With `formatting`, its text
 * is Markdown: formatting buttons over it, and their shortcuts in it.
 */
export function TextAreaField({
  label,
  hint,
  error,
  formatting = false,
  ...input
}: FieldProps & { formatting?: boolean } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const box = useRef<HTMLTextAreaElement>(null);
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      control={(wiring) =>
        formatting ? (
          <>
            <FormattingToolbar box={box} controls={wiring.id} />
            <textarea
              {...wiring}
              {...input}
              ref={box}
              onKeyDown={(event) => {
                if (!handleFormattingKey(event)) input.onKeyDown?.(event);
              }}
            />
          </>
        ) : (
          <textarea {...wiring} {...input} />
        )
      }
    />
  );
}
