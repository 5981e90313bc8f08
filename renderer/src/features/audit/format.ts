/** How the log views write times and digests: "2026-11-23 08:00:00" (UTC) and the first twelve hex digits. */
export const when = (iso: string) => iso.replace('T', ' ').slice(0, 19);
export const short = (hex: string) => `${hex.slice(0, 12)}…`;
