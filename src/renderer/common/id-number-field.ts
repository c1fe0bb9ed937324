/**
 * What the ID-number field says under itself. The field has no maxLength: a browser cuts pasted text
 * silently, and the first 18 of 19 characters can be someone else's valid number. Instead the whole text is
 * checked (GB 11643, the same words the core answers with) and a number that is too long says so.
 */
import { checkIdNumber } from '../../shared/id-number';

/** How the field cleans typing: spaces dropped (read aloud in groups), x upper-cased. Never shortened. */
export function normaliseIdNumberInput(text: string): string {
  return text.replace(/\s/g, '').toUpperCase();
}

/**
 * `null` when the number can be sent. While typing (`submitted` false) an incomplete number is not an error
 * yet; anything over 18 characters, a letter in the middle, or a complete number with a bad date or check
 * character is shown at once.
 */
export function idNumberFieldError(text: string, submitted: boolean): string | null {
  const checked = checkIdNumber(normaliseIdNumberInput(text));
  if (checked.ok) return null;
  if (!submitted && (checked.problem === 'empty' || checked.problem === 'too-short')) return null;
  return checked.message;
}
