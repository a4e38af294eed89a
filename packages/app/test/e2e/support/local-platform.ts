import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { LocalPlatformInfo } from '../../../src/local/platform';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
const MAIN = resolve(REPO_ROOT, 'packages', 'app', 'lib', 'local', 'main.js');
const READY = 'LOCAL_PLATFORM_READY ';

/** What the local platform prints once it serves requests. */
export type PlatformInfo = LocalPlatformInfo;

/** One structured (Powertools) log line a handler wrote to the platform's stdout or stderr. */
export interface LogLine {
  readonly service?: string;
  readonly message?: string;
  readonly correlation_id?: string;
  readonly [key: string]: unknown;
}

export interface RunningPlatform {
  readonly info: PlatformInfo;
  readonly child: ChildProcess;
  /** Every JSON log line printed so far, in the order read (exact within one stream). */
  readonly logs: LogLine[];
  /** The last few kilobytes of stderr, for failure messages. */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code/signal, or rejects after `timeoutMs`. */
  stop(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Last resort for afterAll: SIGKILL to the platform's whole process group. */
  kill(): void;
}

/**
 * Starts `packages/app/lib/local/main.js --port 0` from the repository root and resolves
 * once it prints its ready line. `env` is added to the test's own environment; `args` are
 * more command-line flags (`--analyser gemini`).
 */
export function startLocalPlatform(
  env: Record<string, string>,
  timeoutMs = 90_000,
  args: string[] = [],
): Promise<RunningPlatform> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed run can still be cleaned up completely.
    detached: true,
  });
  const logs: LogLine[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
  // the whole of stderr, for a run being investigated
  if (process.env.LOCAL_PLATFORM_STDERR_FILE) {
    child.stderr!.pipe(createWriteStream(process.env.LOCAL_PLATFORM_STDERR_FILE));
  }

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;

  return new Promise<RunningPlatform>((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      kill();
      rejectStart(new Error(`no ${READY.trim()} line within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);

    function kill(): void {
      if (alive() && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }

    function onLine(line: string): void {
      if (line.startsWith(READY)) {
        clearTimeout(timer);
        const info = JSON.parse(line.slice(READY.length)) as PlatformInfo;
        resolveStart({
          info,
          child,
          logs,
          stderr: () => stderr,
          kill,
          stop: (stopTimeoutMs) => {
            if (alive()) child.kill('SIGTERM');
            return Promise.race([
              exited,
              new Promise<never>((_, rej) =>
                setTimeout(
                  () => rej(new Error(`platform still running ${stopTimeoutMs} ms after SIGTERM`)),
                  stopTimeoutMs,
                ).unref(),
              ),
            ]);
          },
        });
        return;
      }
      if (!line.startsWith('{')) return;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    }

    // Powertools writes INFO lines to stdout but WARN and ERROR lines to stderr: read both.
    for (const stream of [child.stdout!, child.stderr!]) {
      let pending = '';
      stream.on('data', (d: Buffer) => {
        pending += d.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop()!;
        lines.forEach((l) => onLine(l.trim()));
      });
    }
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rejectStart(new Error(`platform exited early (code ${code}, signal ${signal})\n${stderr}`));
    });
  });
}

/** Whether anything still accepts HTTP requests at `url`. */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
