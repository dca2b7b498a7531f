// Text wrapped to a terminal's width for the table, so that what a person copies from it still works: a command
// still runs, a comment stays a comment, and a JSON policy fragment still parses.

/** Text wrapped at spaces to lines of at most `width` characters where the words fit; words are never cut. */
export function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => wrapWords(paragraph.split(' '), width));
}

/** Words joined by spaces into lines of at most `width` characters where they fit. */
function wrapWords(words: readonly string[], width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  out.push(line);
  return out;
}

// A remediation step that starts with a program's name (aws, eksctl, kubectl, openssl, curl); prose steps start
// with a capital, comments with `#`.
const COMMAND = /^[a-z][\w.-]*( |$)/;

/**
 * The fix's steps, wrapped so that what a person copies from the terminal still runs: a command breaks only
 * between words outside quotes and ends each line but its last with ` \`, so that a shell reads one command; a
 * comment goes on as a comment; prose wraps as text. A JSON object in a comment or in prose (a Condition block to
 * add) stands on a line of its own, whole however long: its strings hold spaces (`<service account>`), and a break
 * there would paste as broken JSON.
 */
export function fixLines(remediation: string, width: number): string[] {
  return remediation.split('\n').flatMap((step, index) => {
    const label = index === 0 ? 'fix: ' : '';
    if (COMMAND.test(step)) {
      const lines = wrapWords(shellWords(label + step), width - 2);
      return lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line));
    }
    const comment = step.startsWith('#');
    return jsonPieces(label + step).flatMap((piece, i) => {
      if (piece.json) return [comment ? `# ${piece.text}` : piece.text];
      if (piece.text === '') return [];
      const continued = comment && i > 0;
      if (!comment) return wrapWords(piece.text.split(' '), width);
      return wrapWords(piece.text.split(' '), width - 2).map((line, n) =>
        n === 0 && !continued ? line : `# ${line}`,
      );
    });
  });
}

interface Piece {
  text: string;
  json: boolean;
}

/** The step cut around the JSON objects it holds: text before, the object, text after (each trimmed). */
function jsonPieces(step: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = 0;
  for (let start = step.indexOf('{'); start !== -1; start = step.indexOf('{', start + 1)) {
    if (start < rest) continue;
    const end = jsonObjectEnd(step, start);
    if (end === undefined) continue;
    pieces.push({ text: step.slice(rest, start).trim(), json: false });
    pieces.push({ text: step.slice(start, end), json: true });
    rest = end;
  }
  pieces.push({ text: step.slice(rest).trim(), json: false });
  return pieces;
}

/** Where the JSON object that starts at `start` ends (exclusive), if the text there is one that parses. */
function jsonObjectEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return parses(text.slice(start, i + 1)) ? i + 1 : undefined;
    }
  }
  return undefined;
}

function parses(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}

/** The text split at the spaces a shell would split it at: none inside quotes or after a backslash. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote === undefined && c === ' ') {
      words.push(word);
      word = '';
      continue;
    }
    word += c;
    if (c === '\\' && quote !== "'") {
      word += command[i + 1] ?? '';
      i++;
    } else if (quote === undefined && (c === "'" || c === '"')) quote = c;
    else if (c === quote) quote = undefined;
  }
  words.push(word);
  return words;
}
