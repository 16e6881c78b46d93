/**
 * A small reader of the project's Dockerfile and .dockerignore, enough to check the image layout
 * without a container engine: stages, their instructions, ENV, COPY, VOLUME, HEALTHCHECK and CMD.
 */

/** One instruction, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** One build stage (from a FROM to the next). */
export interface Stage {
  name?: string;
  image: string;
  instructions: Instruction[];
}

/** A COPY instruction: flags (`from`, `chown`, …), sources and destination as written. */
export interface CopySpec {
  from?: string;
  sources: string[];
  dest: string;
  line: number;
}

/** Splits a Dockerfile into stages; comment lines are dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    if (/^\s*(#|$)/.test(logical)) continue;
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) {
      i += 1;
      const next = lines[i];
      if (/^\s*#/.test(next)) continue;
      logical = `${logical.replace(/\\\s*$/, ' ')}${next}`;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(logical);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot read "${logical}"`);
    const instruction = { keyword: m[1].toUpperCase(), args: m[2].trim(), line: start + 1 };
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/).filter((t) => !t.startsWith('--'));
      stages.push({ image: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages[stages.length - 1];
      if (!stage) throw new Error(`Dockerfile line ${start + 1}: ${instruction.keyword} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** The instructions of a stage with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** ENV of a stage, later settings winning (`ENV A=1 B="two words"` and the old `ENV A 1`). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructionsOf(stage, 'ENV')) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
      const [key, ...rest] = args.split(/\s+/);
      env[key] = rest.join(' ');
      continue;
    }
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      const raw = m[2];
      env[m[1]] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    }
  }
  return env;
}

/** The COPY (and ADD) instructions of a stage. */
export function copiesOf(stage: Stage): CopySpec[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      const tokens = i.args.split(/\s+/);
      const flags: Record<string, string> = {};
      while (tokens[0]?.startsWith('--')) {
        const [k, v] = tokens.shift()!.slice(2).split('=');
        flags[k] = v ?? '';
      }
      const rest = tokens.join(' ');
      const paths = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : tokens;
      if (paths.length < 2) throw new Error(`Dockerfile line ${i.line}: COPY needs a source and a destination`);
      return { from: flags.from, sources: paths.slice(0, -1), dest: paths[paths.length - 1], line: i.line };
    });
}

/** The paths of VOLUME instructions (JSON or plain form). */
export function volumesOf(stage: Stage): string[] {
  return instructionsOf(stage, 'VOLUME').flatMap(({ args }) => (args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/)));
}

/** The last WORKDIR of a stage (`/` when none). */
export function workdirOf(stage: Stage): string {
  return (
    instructionsOf(stage, 'WORKDIR')
      .map((i) => i.args)
      .pop() ?? '/'
  );
}

/** A command as Docker runs it: exec form (JSON array) or shell form (`/bin/sh -c`). */
export type Command = { form: 'exec'; argv: string[] } | { form: 'shell'; script: string };

function readCommand(text: string): Command {
  return text.startsWith('[') ? { form: 'exec', argv: JSON.parse(text) as string[] } : { form: 'shell', script: text };
}

/** The last CMD of a stage. */
export function cmdOf(stage: Stage): Command | undefined {
  const last = instructionsOf(stage, 'CMD').pop();
  return last ? readCommand(last.args) : undefined;
}

/** The last HEALTHCHECK of a stage: its options and command (undefined for none or `HEALTHCHECK NONE`). */
export function healthcheckOf(stage: Stage): { options: Record<string, string>; command: Command } | undefined {
  const last = instructionsOf(stage, 'HEALTHCHECK').pop();
  if (!last || last.args.toUpperCase() === 'NONE') return undefined;
  const m = /^((?:--\S+\s+)*)CMD\s+(.+)$/.exec(last.args);
  if (!m) throw new Error(`Dockerfile line ${last.line}: HEALTHCHECK without CMD`);
  const options: Record<string, string> = {};
  for (const opt of m[1].trim().split(/\s+/).filter(Boolean)) {
    const [k, v] = opt.slice(2).split('=');
    options[k] = v ?? '';
  }
  return { options, command: readCommand(m[2]) };
}

/**
 * Whether `.dockerignore` leaves `relPath` (relative to the build context) out of the context: the last
 * pattern matching the path or one of its parent folders decides; `!` patterns take paths back in.
 */
export function isIgnored(dockerignore: string, relPath: string): boolean {
  const target = relPath.replace(/^\.\//, '').replace(/\/+$/, '');
  const prefixes = target.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rawLine of dockerignore.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
    const re = globToRegExp(pattern);
    if (prefixes.some((p) => re.test(p))) ignored = !negated;
  }
  return ignored;
}

function globToRegExp(glob: string): RegExp {
  let body = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      body += '.*';
      i += 1;
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${body}$`);
}
