/**
 * A CSV reader as spreadsheets read a file, with the separator a locale gives them: RFC 4180 quoting where a cell
 * starts with a quote (its text then runs on, literally, to the next separator); elsewhere every character up to
 * the next separator or line end is the cell's, quotes included.
 */
export function readCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  while (i < text.length) {
    if (cell === '' && text[i] === '"') {
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          cell += text[i++];
        }
      }
      continue;
    }
    const char = text[i] as string;
    if (char === separator) {
      endCell();
      i++;
    } else if (char === '\r' || char === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += char;
      i++;
    }
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}
