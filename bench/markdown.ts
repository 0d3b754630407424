/** A GitHub-flavoured markdown table; every cell is already text. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `1,234` / `12.3` / `0.12`: three significant figures at most, thousands separated. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function pair(a: number, b: number): string {
  return `${num(a)} / ${num(b)}`;
}

export function ratio(ours: number, baseline: number): string {
  return baseline > 0 ? `${num(ours / baseline)}×` : 'n/a';
}

export function verdict(met: boolean): string {
  return met ? 'yes' : 'no';
}

export function kib(bytes: number): string {
  return `${num(bytes / 1024)} KB`;
}

export function mib(bytes: number): string {
  return `${num(bytes / 1024 / 1024)} MB`;
}
