/**
 * Just enough of the sh grammar to tell whether a hook really runs `keyguard scan` and lets its
 * failure stop the commit. A heuristic, not a parser: quotes, `$( )`, comments, heredocs, and/or
 * lists, pipelines and the nesting of if/case/loops/braces/subshells are followed; aliases, `eval`,
 * functions called later and sourced files are not. It errs towards "does not run": a hook that
 * keyguard cannot vouch for is reported, never passed off as installed.
 */

interface Token {
  kind: 'word' | 'op';
  /** The text as written (quotes kept). */
  raw: string;
  /** Words: quotes and backslashes removed, `$(…)` kept as written. Ops: the operator. */
  value: string;
  /** 1-based line the token starts on. */
  line: number;
  /** The word had quoting, so it cannot be a reserved word. */
  quoted: boolean;
}

/** `\n` stands for the end of a command line; `&&`, `||`, `|` at a line's end continue it instead. */
const OPS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')'] as const;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const lines = text.split('\n');
  let quote: string | undefined; // open quote carried over a line break
  let subst = 0; // depth of $( … ) inside the current word
  let word: { raw: string; value: string; line: number; quoted: boolean } | undefined;
  let heredoc: { tag: string; strip: boolean }[] = [];
  let inHeredoc: { tag: string; strip: boolean } | undefined;

  const flush = () => {
    if (word) tokens.push({ kind: 'word', ...word });
    word = undefined;
  };
  const add = (ch: string, line: number, raw = ch) => {
    word ??= { raw: '', value: '', line, quoted: false };
    word.raw += raw;
    word.value += ch;
  };

  lines.forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    const number = index + 1;
    if (inHeredoc) {
      if ((inHeredoc.strip ? line.replace(/^\t+/, '') : line) === inHeredoc.tag) inHeredoc = heredoc.shift();
      return;
    }
    let continued = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] as string;
      if (quote) {
        if (ch === '\\' && quote !== "'" && i + 1 < line.length) {
          add(line[i + 1] as string, number, ch + line[i + 1]);
          i++;
        } else if (ch === quote) {
          quote = undefined;
          if (word) word.raw += ch;
        } else add(ch, number);
        continue;
      }
      if (subst > 0) {
        if (ch === '(') subst++;
        else if (ch === ')') subst--;
        else if (ch === "'" || ch === '"' || ch === '`') {
          quote = ch;
          if (word) word.quoted = true;
        }
        add(ch, number);
        continue;
      }
      if (ch === '\\') {
        if (i + 1 >= line.length) {
          continued = true; // line continuation
          break;
        }
        add(line[i + 1] as string, number, ch + line[i + 1]);
        if (word) word.quoted = true;
        i++;
        continue;
      }
      if (ch === "'" || ch === '"' || ch === '`') {
        quote = ch;
        add('', number, ch);
        if (word) word.quoted = true;
        continue;
      }
      if (ch === '$' && line[i + 1] === '(') {
        subst = 1;
        add('$(', number);
        i++;
        continue;
      }
      if (ch === ' ' || ch === '\t') {
        flush();
        continue;
      }
      if (ch === '#' && !word) break; // a comment runs to the end of the line
      // `>&2`, `2>&1`, `<&-`: part of a redirection word, not the background operator.
      if (ch === '&' && word && /[<>]$/.test(word.raw)) {
        add(ch, number);
        continue;
      }
      const op = OPS.find((o) => line.startsWith(o, i));
      if (op) {
        flush();
        tokens.push({ kind: 'op', raw: op, value: op, line: number, quoted: false });
        i += op.length - 1;
        continue;
      }
      add(ch, number);
    }
    if (quote || subst > 0) {
      add('\n', number);
      return;
    }
    flush();
    // Heredocs on this line: their bodies start on the next line.
    for (let t = tokens.length - 1; t >= 0 && tokens[t]?.line === number; t--) {
      const tok = tokens[t] as Token;
      const m = tok.kind === 'word' && !tok.value.startsWith('<<<') ? /^(?:\d*)<<(-?)(.*)$/.exec(tok.value) : null;
      if (!m) continue;
      const tag = m[2] || tokens[t + 1]?.value || '';
      heredoc.unshift({ tag, strip: m[1] === '-' });
    }
    if (heredoc.length > 0 && !inHeredoc) inHeredoc = heredoc.shift();
    // A line ending in &&, || or | goes on on the next line, as one ending in a backslash does.
    const last = tokens[tokens.length - 1];
    const joins = last?.kind === 'op' && (last.value === '&&' || last.value === '||' || last.value === '|');
    if (!continued && !joins) tokens.push({ kind: 'op', raw: '\n', value: '\n', line: number, quoted: false });
  });
  flush();
  return tokens;
}

/** One simple command: its words, where it sits, and the operators around it. */
interface Command {
  words: Token[];
  line: number;
  /** Enclosing if/case/loops/braces/subshells. */
  depth: number;
  /** It begins a statement of the script itself (after a newline, `;` or `&`, outside every compound). */
  top: boolean;
  /** The operator or reserved word before it (`\n` at the start of the script). */
  before: string;
  /** The operator after it. */
  after: string;
  /** Inside the condition of an if/elif/while/until. */
  condition: boolean;
}

const OPENERS = new Map(Object.entries({ if: 'if', case: 'case', for: 'loop', while: 'loop', until: 'loop', select: 'loop', '{': '{' }));
const CLOSERS = new Map(Object.entries({ fi: 'if', esac: 'case', done: 'loop', '}': '{' }));
/** Reserved words after which a command name may follow on the same line. */
const LEADS = new Set(['then', 'do', 'else', 'elif', '!', 'time', 'if', 'while', 'until', '{']);
const SEPARATORS = new Set(['\n', ';', '&']);

function commands(text: string): Command[] {
  const out: Command[] = [];
  const stack: string[] = [];
  let before = '\n';
  let condition = false;
  let current: Command | undefined;
  let inCasePattern = false;
  let startsTop = false;

  const end = (op: string) => {
    if (current) {
      current.after = op;
      out.push(current);
      current = undefined;
    }
    before = op;
  };

  for (const tok of tokenize(text)) {
    if (tok.kind === 'op') {
      if (tok.value === '(' && !current) {
        if (SEPARATORS.has(before) && stack.length === 0) startsTop = true;
        stack.push('(');
        before = '(';
        continue;
      }
      if (tok.value === ')') {
        if (stack[stack.length - 1] === '(') {
          end(')');
          stack.pop();
          continue;
        }
        if (stack[stack.length - 1] === 'case') {
          // The end of a case pattern: a command may follow.
          current = undefined;
          inCasePattern = false;
          before = ')';
          continue;
        }
      }
      end(tok.value);
      if (stack[stack.length - 1] === 'case' && tok.value === ';;') inCasePattern = true;
      continue;
    }
    if (current) {
      current.words.push(tok);
      continue;
    }
    const word = tok.quoted ? '' : tok.value;
    if (inCasePattern && stack[stack.length - 1] === 'case' && word !== 'esac') continue; // a pattern
    if (SEPARATORS.has(before) && stack.length === 0) startsTop = true;
    if (CLOSERS.has(word)) {
      if (stack[stack.length - 1] === CLOSERS.get(word)) stack.pop();
      condition = false;
      startsTop = false;
      before = word;
      continue;
    }
    if (word === 'then' || word === 'do' || word === 'else') {
      condition = false;
      startsTop = false;
      before = word;
      continue;
    }
    if (word === 'if' || word === 'elif' || word === 'while' || word === 'until') condition = true;
    if (OPENERS.has(word)) stack.push(OPENERS.get(word) as string);
    if (word === 'elif' || LEADS.has(word)) {
      before = word;
      continue;
    }
    current = { words: [tok], line: tok.line, depth: stack.length, top: startsTop, before, after: '\n', condition };
    startsTop = false;
    // `case WORD in` and `for NAME in …` are headers, not commands; a case's patterns follow.
    if (word === 'case') inCasePattern = true;
  }
  end('\n');
  return out.filter((c) => !['case', 'for', 'select'].includes(c.words[0]?.quoted ? '' : (c.words[0]?.value ?? '')));
}

/** A command's name, after `VAR=x` assignments and `exec`/`command`/`env …`/`nohup` prefixes. */
function nameIndex(words: Token[]): { index: number; exec: boolean } {
  let i = 0;
  let exec = false;
  for (; i < words.length; i++) {
    const w = words[i] as Token;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.raw)) continue;
    if (w.value === 'exec') {
      exec = true;
      continue;
    }
    if (w.value === 'command' || w.value === 'nohup' || w.value === 'time') continue;
    if (w.value === 'env') {
      while (i + 1 < words.length && /^(-|[A-Za-z_][A-Za-z0-9_]*=)/.test((words[i + 1] as Token).value)) i++;
      continue;
    }
    break;
  }
  return { index: i, exec };
}

const RUNNERS = /^(npx|bunx|pnpx)$/;
const PACKAGE_MANAGERS = /^(pnpm|yarn|bun|npm)$/;

/** `keyguard scan`, `…/keyguard scan`, `npx [--no] keyguard scan`, `pnpm exec keyguard scan`, … */
function isKeyguardScan(words: Token[], start: number): boolean {
  let i = start;
  const at = (k: number) => words[k]?.value ?? '';
  if (RUNNERS.test(at(i))) {
    i++;
    for (; at(i).startsWith('-'); i++) if (/^(-p|--package)$/.test(at(i))) i++;
  } else if (PACKAGE_MANAGERS.test(at(i))) {
    i++;
    if (/^(exec|x|dlx)$/.test(at(i))) i++;
    for (; at(i).startsWith('-') && at(i) !== '--'; i++);
    if (at(i) === '--') i++;
  }
  if (!/(^|\/)keyguard$/.test(at(i))) return false;
  for (i++; at(i).startsWith('-'); i++);
  return at(i) === 'scan';
}

/** Why a call to keyguard does not stop a commit. */
export type CallProblem =
  | { kind: 'after-exit'; line: number; stopLine: number; stop: string }
  | { kind: 'ignored'; line: number; how: string }
  | { kind: 'piped'; line: number }
  | { kind: 'background'; line: number }
  | { kind: 'unchecked'; line: number; next: number };

export interface ScanCall {
  line: number;
  problem?: CallProblem;
}

/** The first top-level command nothing after runs past: `exit …`, or `exec` of a program. */
export interface Terminator {
  line: number;
  text: string;
}

export interface ShellAnalysis {
  calls: ScanCall[];
  terminator?: Terminator;
}

const SUCCEEDS = /^(true|:|\/bin\/true|\/usr\/bin\/true|echo|printf)$/;
/** A command that ends the script or the function with a failure (`exit 1`, `exit $?`, `return 1`, `false`). */
const FAILS = (c: Command) => {
  const [name, arg] = [c.words[0]?.value ?? '', c.words[1]?.value];
  return (name === 'exit' || name === 'return') ? arg !== '0' : name === 'false';
};

function isTerminator(c: Command): boolean {
  if (!c.top || c.condition) return false;
  const name = c.words[0]?.value;
  if (name === 'exit') return true;
  // `exec 1>&2` only redirects the shell's own output; `exec cmd` replaces the shell.
  return name === 'exec' && c.words.slice(1).some((w) => !/^\d*[<>]/.test(w.raw));
}

const show = (c: Command) => c.words.map((w) => w.raw).join(' ');

/** `exit`, `exit $?`: they pass on the status of the command before them. */
const passesStatus = (c: Command) => c.words[0]?.value === 'exit' && (c.words.length === 1 || c.words[1]?.value === '$?');

/**
 * Every `keyguard scan` in an sh script (outside `skip`, the lines keyguard's own block holds) and
 * whether a failing scan fails the script. errexit: the script runs under `sh -e` (husky does that).
 */
export function analyseShell(text: string, options: { errexit?: boolean; skip?: { from: number; to: number } } = {}): ShellAnalysis {
  const list = commands(text);
  const shebang = /^#!.*\s-[a-z]*e[a-z]*(\s|$)/.test(text.split('\n', 1)[0] ?? '');
  let errexitFrom = options.errexit || shebang || /husky\.sh/.test(text) ? 0 : Infinity;
  const hasFunctions = /^\s*(function\s+)?[A-Za-z_][\w-]*\s*\(\s*\)/m.test(text);
  let terminator: Command | undefined;
  const calls: ScanCall[] = [];

  list.forEach((c, k) => {
    const first = c.words[0]?.value;
    if (first === 'set' && c.top && c.words.slice(1).some((w, j, a) => /^-[a-z]*e/.test(w.value) || (w.value === '-o' && a[j + 1]?.value === 'errexit'))) {
      errexitFrom = Math.min(errexitFrom, k);
    }
    const { index, exec } = nameIndex(c.words);
    const inSkip = options.skip && c.line >= options.skip.from && c.line <= options.skip.to;
    if (!inSkip && isKeyguardScan(c.words, index)) {
      const problem = problemOf(list, k, exec, errexitFrom <= k, terminator, hasFunctions);
      calls.push(problem ? { line: c.line, problem } : { line: c.line });
    }
    if (!terminator && isTerminator(c)) terminator = c;
  });
  const result: ShellAnalysis = { calls };
  if (terminator) result.terminator = { line: terminator.line, text: show(terminator) };
  return result;
}

function problemOf(list: Command[], k: number, exec: boolean, errexit: boolean, terminator: Command | undefined, hasFunctions: boolean): CallProblem | undefined {
  const c = list[k] as Command;
  const line = c.line;
  if (terminator) return { kind: 'after-exit', line, stopLine: terminator.line, stop: show(terminator) };
  if (c.after === '|' || c.after === '|&') return { kind: 'piped', line };
  if (c.after === '&') return { kind: 'background', line };
  // The rest of its and-or list: `|| true` throws the status away, `|| exit 1` passes it on.
  let checked = exec || c.condition;
  let j = k;
  while (!checked && ((list[j] as Command).after === '&&' || (list[j] as Command).after === '||')) {
    const op = (list[j] as Command).after;
    const next = list[j + 1];
    if (!next) break;
    if (next.before !== op) {
      // A compound after the operator (`|| { echo …; exit 1; }`): judged by whether it fails.
      if (op === '||') {
        const inside = list.slice(j + 1).filter((n, i, a) => a.slice(0, i + 1).every((m) => m.depth > c.depth));
        if (inside.some(FAILS)) checked = true;
        else return { kind: 'ignored', line, how: '|| { … }' };
      }
      break;
    }
    if (op === '||') {
      const name = next.words[0]?.value ?? '';
      if (SUCCEEDS.test(name) || (name === 'exit' && next.words[1]?.value === '0')) return { kind: 'ignored', line, how: `|| ${show(next)}` };
      if (FAILS(next)) checked = true;
    }
    j++;
  }
  if (checked || errexit) return undefined;
  // Without errexit a script's status is its last command's: a statement after it replaces keyguard's.
  if (hasFunctions) return undefined;
  const later = list.slice(j + 1).find((n) => n.top);
  if (!later || passesStatus(later)) return undefined;
  const name = later.words[0]?.value ?? '';
  if (later.line === c.line && (SUCCEEDS.test(name) || (name === 'exit' && later.words[1]?.value === '0'))) {
    return { kind: 'ignored', line, how: `; ${show(later)}` };
  }
  return { kind: 'unchecked', line, next: later.line };
}
