/** "3.000000" → "3", "12.500000" → "12.50" with minScale 2: the stored value, shown plainly. */
export function trimDecimal(value: string, minScale: number): string {
  const [int, frac = ''] = value.split('.');
  const kept = frac.replace(/0+$/, '').padEnd(minScale, '0');
  return kept ? `${int}.${kept}` : int;
}

/** Flips the sign of a stored decimal without touching its digits: "1.125000" → "-1.125000". */
export function negateDecimal(value: string): string {
  if (value.startsWith('-')) return value.slice(1);
  return /^[0.]*$/.test(value) ? value : `-${value}`;
}
