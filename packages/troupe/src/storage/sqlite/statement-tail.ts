// Whether a string of SQL holds more than one statement, for bindings that compile the first and
// silently drop the rest (node:sqlite, bun:sqlite). It scans as SQLite's own sqlite3_complete does:
// a semicolon ends a statement unless it is inside a literal, a quoted name, a comment, or the body
// of a CREATE TRIGGER (which ends at END followed by a semicolon).

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** True when `sql` has a statement (anything but blanks, comments and semicolons) after its first one. */
export function hasSeveralStatements(sql: string): boolean {
  const end = firstStatementEnd(sql);
  return end !== undefined && !onlyBlanks(sql.slice(end));
}

/** The index just past the semicolon that ends the first statement; undefined when there is none. */
function firstStatementEnd(sql: string): number | undefined {
  const words: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === "`") i = closing(sql, i + 1, ch);
    else if (ch === "[") i = closing(sql, i + 1, "]");
    else if (ch === "-" && sql[i + 1] === "-") i = lineEnd(sql, i);
    else if (ch === "/" && sql[i + 1] === "*") i = commentEnd(sql, i);
    else if (ch === ";") {
      if (!inTriggerBody(words)) return i + 1;
      i++;
    } else {
      WORD.lastIndex = i;
      const word = WORD.exec(sql);
      if (word) {
        words.push(word[0].toUpperCase());
        i += word[0].length;
      } else i++;
    }
  }
  return undefined;
}

/** A CREATE [TEMP] TRIGGER's semicolons end its inner statements until END closes it. */
function inTriggerBody(words: string[]): boolean {
  const [first, second, third] = words;
  const trigger = first === "CREATE" && (second === "TRIGGER" || ((second === "TEMP" || second === "TEMPORARY") && third === "TRIGGER"));
  return trigger && words[words.length - 1] !== "END";
}

function onlyBlanks(rest: string): boolean {
  let i = 0;
  while (i < rest.length) {
    const ch = rest[i]!;
    if (ch === ";" || /\s/.test(ch)) i++;
    else if (ch === "-" && rest[i + 1] === "-") i = lineEnd(rest, i);
    else if (ch === "/" && rest[i + 1] === "*") i = commentEnd(rest, i);
    else return false;
  }
  return true;
}

/** Past the closing quote; a doubled quote inside stands for itself. */
function closing(sql: string, from: number, quote: string): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (quote !== "]" && sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf("\n", from);
  return end < 0 ? sql.length : end + 1;
}

function commentEnd(sql: string, from: number): number {
  const end = sql.indexOf("*/", from + 2);
  return end < 0 ? sql.length : end + 2;
}
