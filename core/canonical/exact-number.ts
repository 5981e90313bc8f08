/**
 * Whether a JSON number literal survives the trip through an IEEE 754 double unchanged (I-JSON,
 * RFC 7493 §2.2): what RFC 8785 signs is the double's shortest form, so a literal is kept only
 * when that form names the same decimal number as the literal does.
 *
 * The rule: read the literal as a double `d` (round to nearest, as JSON.parse does); the literal
 * survives when its decimal value equals the decimal value of `String(d)` (ECMAScript
 * Number::toString, the form RFC 8785 §3.2.2.3 serialises). So `1.0`, `1e2`, `0.1`, `5e-324` and
 * `9007199254740992` survive (they come back as `1`, `100`, `0.1`, `5e-324`, the same integer);
 * `123456789012345678901234567890`, `9007199254740993`, `1e-400` (read as 0) and `4.9e-324` do
 * not; `-0` survives as 0 (the same number; RFC 8785 writes it `0`). Beyond range (`1e400`) is
 * refused before this is asked.
 *
 * @example survivesAsDouble('0.10', 0.1) // true; survivesAsDouble('9007199254740993', 2 ** 53) // false
 */

/** `literal` is RFC 8259 number syntax, already checked; `value` is Number(literal), finite. */
export function survivesAsDouble(literal: string, value: number): boolean {
  const canonical = String(value);
  // The common case: the literal is already the double's shortest form.
  if (canonical === literal) return true;
  const given = decimalOf(literal);
  const kept = decimalOf(canonical);
  return given.digits === kept.digits && given.exponent === kept.exponent;
}

/**
 * A decimal number as significant digits (no leading or trailing zeros, '' for zero) times ten
 * to `exponent`, ignoring the sign of zero. The sign rides on the digits ('-' prefix).
 */
function decimalOf(text: string): { digits: string; exponent: number } {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const e = body.search(/[eE]/);
  const mantissa = e < 0 ? body : body.slice(0, e);
  const point = mantissa.indexOf('.');
  const whole = point < 0 ? mantissa : mantissa.slice(0, point);
  const fraction = point < 0 ? '' : mantissa.slice(point + 1);
  let digits = whole + fraction;
  // An exponent too long for Number() to hold exactly puts a finite literal's value at 0 (refused
  // as digits lost) or beyond range (refused earlier), so its imprecision never decides a verdict.
  let exponent = (e < 0 ? 0 : Number(body.slice(e + 1))) - fraction.length;
  const first = digits.search(/[1-9]/);
  if (first < 0) return { digits: '', exponent: 0 };
  digits = digits.slice(first);
  // A loop, not /0*$/: that regex rescans every run of zeros, quadratic in a long literal.
  let last = digits.length;
  while (digits.charCodeAt(last - 1) === 0x30) last--;
  exponent += digits.length - last;
  digits = digits.slice(0, last);
  return { digits: negative ? `-${digits}` : digits, exponent };
}

/** A literal short enough for a one-line message: long ones keep their start and end. */
export function abbreviated(literal: string): string {
  return literal.length <= 40 ? literal : `${literal.slice(0, 24)}…${literal.slice(-8)} (${literal.length} characters)`;
}
