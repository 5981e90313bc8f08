/** "in 12 d 4 h", "3 h 5 min ago": how far an instant is from now, for expiry countdowns. */
export function countdown(target: string, now: number): string {
  const ms = Date.parse(target) - now;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const span = days > 0 ? `${days.toLocaleString('en-GB')} d ${hours} h` : hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
  return ms >= 0 ? `in ${span}` : `${span} ago`;
}
