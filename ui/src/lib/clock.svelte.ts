/** A shared clock (epoch ms) ticking every 30 s, so relative times ("5 min ago") stay true. */
export const now = $state({ value: Date.now() });

if (typeof window !== "undefined") {
  setInterval(() => (now.value = Date.now()), 30_000);
}
