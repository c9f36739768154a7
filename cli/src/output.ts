export type OutputFormat = 'table' | 'json';

/** A column: its heading and how to read it from a row. */
export type Column<T> = [heading: string, read: (row: T) => unknown];

function text(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean);
}

/** Rows under headings, columns padded to their widest cell. */
export function table<T>(rows: readonly T[], columns: Column<T>[]): string {
  const cells = [columns.map(([heading]) => heading), ...rows.map((row) => columns.map(([, read]) => text(read(row))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells.map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

/** A list: a table, or the JSON array. */
export function printList<T>(format: OutputFormat, rows: readonly T[], columns: Column<T>[]): void {
  if (format === 'json') process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else process.stdout.write((rows.length ? table(rows, columns) : '(none)') + '\n');
}

/** One object: field / value lines, or the JSON object. */
export function printObject<T>(format: OutputFormat, value: T, fields: Column<T>[]): void {
  if (format === 'json') process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else {
    const width = Math.max(...fields.map(([heading]) => heading.length));
    process.stdout.write(fields.map(([heading, read]) => `${heading.padEnd(width)}  ${text(read(value))}`).join('\n') + '\n');
  }
}

/** A progress bar: `[#######.............]  7/20`. */
export function bar(done: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

/**
 * Progress on stderr (stdout keeps the result, so `--output json` stays parseable): redrawn in
 * place on a terminal, one line per change otherwise (logs, CI, a test reading the output).
 */
export class Progress {
  private last = '';
  private readonly tty = process.stderr.isTTY === true;

  update(line: string): void {
    if (line === this.last) return;
    this.last = line;
    process.stderr.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  end(): void {
    if (this.tty && this.last) process.stderr.write('\n');
  }
}
