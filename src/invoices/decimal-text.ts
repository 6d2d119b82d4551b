/** "3.000000" → "3", "12.500000" → "12.50" with minScale 2: the stored value, shown plainly. */
export function trimDecimal(value: string, minScale: number): string {
  const [int, frac = ''] = value.split('.');
  const kept = frac.replace(/0+$/, '').padEnd(minScale, '0');
  return kept ? `${int}.${kept}` : int;
}
