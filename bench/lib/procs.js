// Processes of a benchmark run: start and stop them, wait until they answer, read their CPU time and
// peak memory from /proc (Linux only).
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const { performance } = require('node:perf_hooks');

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** user + system CPU seconds the process has used so far (/proc/<pid>/stat, fields 14 and 15). */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds the whole machine has spent busy so far, all CPUs together (/proc/stat). */
function machineBusySeconds() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...: busy is everything but idle and iowait.
  const busy = fields.reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
  return busy / CLOCK_TICKS;
}

/** Peak resident set size so far, in MiB (/proc/<pid>/status VmHWM). */
function peakRssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) / 1024 : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a process with stdout and stderr appended to logFile; resolves once it runs. */
function start(command, args, { env, logFile, cwd }) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const startedAt = performance.now();
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.exitedEarly = false;
  exited.then(() => { child.exitedEarly = true; });
  return { child, pid: child.pid, startedAt, exited, logFile };
}

/** Resolves with the first line of logFile that matches pattern (a launcher's READY line). */
async function awaitLine(proc, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = fs.existsSync(proc.logFile) ? fs.readFileSync(proc.logFile, 'utf8') : '';
    const match = pattern.exec(text);
    if (match) {
      return match;
    }
    if (proc.child.exitedEarly) {
      throw new Error(`${proc.logFile}: the process ended before it was ready:\n${tail(proc.logFile)}`);
    }
    await sleep(50);
  }
  throw new Error(`${proc.logFile}: not ready within ${timeoutMs} ms:\n${tail(proc.logFile)}`);
}

/** One HTTP request; resolves {status, body} or null when nothing answered. */
function request(method, url, { timeoutMs = 2000, headers = {} } = {}) {
  return new Promise((resolve) => {
    let responded = false;
    const req = http.request(url, { method, headers, timeout: timeoutMs, agent: false }, (res) => {
      responded = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', () => resolve(null));
    // Whatever else happens, never leave the caller waiting.
    req.on('close', () => { if (!responded) resolve(null); });
    req.end();
  });
}

/**
 * Milliseconds from the process's start to the first answer of url that satisfies isReady, polling
 * every 20 ms.
 */
async function awaitReady(proc, url, isReady, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answer = await request('GET', url, { timeoutMs: 1000 });
    if (answer && isReady(answer)) {
      return performance.now() - proc.startedAt;
    }
    if (proc.child.exitedEarly) {
      throw new Error(`${proc.logFile}: the process ended before it was ready:\n${tail(proc.logFile)}`);
    }
    await sleep(20);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms:\n${tail(proc.logFile)}`);
}

/** SIGTERM, then SIGKILL if it has not ended within graceMs. */
async function stop(proc, graceMs) {
  if (proc.child.exitedEarly) {
    return proc.exited;
  }
  proc.child.kill('SIGTERM');
  const ended = await Promise.race([proc.exited, sleep(graceMs).then(() => null)]);
  if (ended) {
    return ended;
  }
  proc.child.kill('SIGKILL');
  return proc.exited;
}

/** A launcher's control port: POST /<command>?params, JSON answer. */
async function admin(port, command, params = {}) {
  const query = new URLSearchParams(params).toString();
  const answer = await request('POST', `http://127.0.0.1:${port}/${command}${query ? `?${query}` : ''}`,
    { timeoutMs: 120000 });
  if (!answer || answer.status !== 200) {
    throw new Error(`admin ${command} on ${port} failed: ${answer ? `${answer.status} ${answer.body}` : 'no answer'}`);
  }
  return JSON.parse(answer.body);
}

function tail(file, lines = 30) {
  if (!fs.existsSync(file)) {
    return '(no log)';
  }
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

module.exports = {
  cpuSeconds, machineBusySeconds, peakRssMiB, freePort, sleep, start, awaitLine, awaitReady, stop, admin, request, tail,
};
