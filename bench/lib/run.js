// bench/run's work (bench/README.md says what and why): the store and the ChaiPort sandbox as
// processes of their own, then for every (orders, PG latency, concurrency) the packaged service and
// the guide's sample, one after the other, on freshly seeded data; figures from autocannon, the
// sandbox's call counts and /proc; a JFR profile of the service under the heaviest run.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const procs = require('./procs');
const { drive } = require('./load');
const { benchIdentity } = require('./jwt');
const { summarize } = require('./profile');
const report = require('./report');

const ROOT = path.resolve(__dirname, '..', '..');
const BENCH = path.join(ROOT, 'bench');

const list = (name, fallback) => (process.env[name] ? process.env[name].split(',').map(Number) : fallback);

// BENCH_* variables narrow or shorten a run while investigating; the published table uses none.
const FULL = {
  mode: 'full',
  seeds: list('BENCH_SEEDS', [1000, 100000]),
  latenciesMs: list('BENCH_LATENCIES_MS', [20, 100]),
  concurrencies: list('BENCH_CONCURRENCIES', [16, 64, 256]),
  warmup: { durationS: Number(process.env.BENCH_WARMUP_S || 15) },
  measure: { durationS: Number(process.env.BENCH_DURATION_S || 15) },
};

// A few hundred requests, one point: proves the benchmark still runs end to end and yields every
// figure. It times nothing.
const SMOKE = {
  mode: 'smoke',
  seeds: [1000],
  latenciesMs: [20],
  concurrencies: [16],
  warmup: { amount: 100 },
  measure: { amount: 300 },
};

const REFUND_WON = 100;
const IMP_KEY = 'bench_key';
const IMP_SECRET = 'bench_secret';
const DATABASE = 'shop';
// As the container image runs the service under the Deployment's 512Mi limit (run-java.sh of
// ubi9/openjdk-17 with JAVA_MAX_MEM_RATIO=50; bench/README.md, "Sizing a pod"), without its CPU limit.
const SERVICE_JVM = process.env.BENCH_SERVICE_JVM ? process.env.BENCH_SERVICE_JVM.split(' ') : ['-XX:MaxRAM=512m', '-XX:MaxRAMPercentage=50.0', '-XX:+UseParallelGC', '-XX:MinHeapFreeRatio=10',
  '-XX:MaxHeapFreeRatio=20', '-XX:GCTimeRatio=4', '-XX:AdaptiveSizePolicyWeight=90', '-XX:+ExitOnOutOfMemoryError'];
// An event loop busy for longer than this is logged ("has been blocked for"); Quarkus also checks
// this often (the default is 2 s). Low enough to catch a blocking call to the 100 ms sandbox; the
// JFR profile's wait events on event-loop threads catch shorter ones.
const BLOCKED_LIMIT = '100ms';
const LAUNCHER_JVM = ['-Xms256m', '-Xmx1g', '-Djava.util.logging.manager=org.jboss.logmanager.LogManager'];

function parseArgs(argv) {
  const smoke = argv.includes('--smoke');
  const out = (() => {
    const i = argv.indexOf('--out');
    return i >= 0 ? argv[i + 1] : null;
  })();
  return { smoke, out };
}

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = (/^model name\s*:\s*(.*)$/m.exec(cpuinfo) || [])[1] || os.cpus()[0]?.model || '?';
  const javaLine = execFileSync('sh', ['-c', 'java -version 2>&1 | sed -n 2p'], { encoding: 'utf8' }).trim();
  return {
    nproc: os.cpus().length,
    cpu_model: model,
    memory_mib: Math.round(os.totalmem() / (1024 * 1024)),
    kernel: os.release(),
    java: javaLine,
    node: process.version,
  };
}

function loadAverage() {
  return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Samples the 1-minute load average every 5 s; summary() over the whole run or a window. */
function loadSampler() {
  const samples = [];
  const take = () => samples.push({ at: Date.now(), load1: loadAverage() });
  take();
  const timer = setInterval(take, 5000);
  timer.unref();
  const stats = (list) => {
    const values = list.map((s) => s.load1);
    if (values.length === 0) {
      return null;
    }
    return {
      min: Math.min(...values),
      max: Math.max(...values),
      mean: Number((values.reduce((a, b) => a + b, 0) / values.length).toFixed(2)),
      samples: values.length,
    };
  };
  return {
    stop: () => clearInterval(timer),
    summary: () => stats(samples),
    between: (from, to) => stats(samples.filter((s) => s.at >= from && s.at <= to)) || { min: loadAverage(), max: loadAverage(), mean: loadAverage(), samples: 1 },
  };
}

async function counts(backends) {
  return procs.admin(backends.sandbox.admin, 'counts');
}

/**
 * Waits until the sandbox has seen no new call for a while: requests the load generator gave up on
 * when a phase ended are still finishing at the server (the service finishes every refund it
 * started) and must not spill into the next phase's figures.
 */
async function quiet(backends, latencyMs) {
  const still = Math.max(500, 3 * latencyMs + 300);
  let last = JSON.stringify(await counts(backends));
  let stableSince = Date.now();
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    await procs.sleep(100);
    const now = JSON.stringify(await counts(backends));
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= still) {
      return JSON.parse(now);
    }
  }
  throw new Error('the sandbox kept receiving calls for 60 s after the load stopped');
}

/**
 * Vert.x's blocked-thread warnings in the service's log (JSON lines): all of them (start-up
 * included), those inside the measured phase, and where the event loop was when caught.
 */
function blockedThreadWarnings(logFile, window) {
  const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
  const sites = new Map();
  let total = 0;
  let measured = 0;
  for (const line of lines) {
    if (!line.includes('has been blocked for')) {
      continue;
    }
    total++;
    let entry = null;
    try {
      entry = JSON.parse(line);
    } catch (e) {
      continue;
    }
    const at = Date.parse(entry.timestamp);
    if (at >= window.from.getTime() && at <= window.to.getTime()) {
      measured++;
    }
    const frames = (entry.exception && entry.exception.frames) || [];
    const frame = frames.find((f) => !/^(java|jdk|sun)\./.test(f.class)) || frames[0];
    const site = frame ? `${frame.class}.${frame.method}` : '(no stack)';
    sites.set(site, (sites.get(site) || 0) + 1);
  }
  return {
    total,
    measured,
    top_sites: [...sites.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([site, count]) => ({ site, count })),
  };
}

function targetCommand(target, { port, managementPort, backends, identity, workDir, jfrFile }) {
  const env = {
    QUARKUS_MONGODB_CONNECTION_STRING: `mongodb://127.0.0.1:${backends.store.port}`,
    QUARKUS_MONGODB_DATABASE: DATABASE,
    QUARKUS_REST_CLIENT_CHAIPORT_URL: `http://127.0.0.1:${backends.sandbox.port}`,
    CHAIPORT_IMP_KEY: IMP_KEY,
    CHAIPORT_IMP_SECRET: IMP_SECRET,
    QUARKUS_HTTP_PORT: String(port),
  };
  if (target === 'sample') {
    return {
      command: process.execPath,
      args: [path.join(BENCH, 'guide-sample', 'server.js')],
      env,
      readyUrl: `http://127.0.0.1:${port}/`,
      // Any HTTP answer (the sample has no health endpoint; it listens once MongoDB is connected).
      isReady: (answer) => answer.status > 0,
    };
  }
  const args = [...SERVICE_JVM,
    `-Dquarkus.vertx.warning-exception-time=${BLOCKED_LIMIT}`,
    `-Dquarkus.vertx.max-event-loop-execute-time=${BLOCKED_LIMIT}`];
  if (jfrFile) {
    args.push(`-XX:StartFlightRecording=filename=${jfrFile},settings=profile,dumponexit=true`);
  }
  args.push('-jar', path.join(ROOT, 'target', 'quarkus-app', 'quarkus-run.jar'));
  return {
    command: 'java',
    args,
    env: {
      ...env,
      QUARKUS_HTTP_HOST: '127.0.0.1',
      MP_JWT_VERIFY_PUBLICKEY_LOCATION: identity.publicKeyFile,
      MP_JWT_VERIFY_ISSUER: identity.issuer,
      MP_JWT_VERIFY_AUDIENCES: identity.audience,
      // Health and metrics live on the management interface, off the API port.
      QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
      QUARKUS_MANAGEMENT_PORT: String(managementPort),
    },
    readyUrl: `http://127.0.0.1:${managementPort}/q/health/ready`,
    isReady: (answer) => answer.status === 200,
    cwd: workDir,
  };
}

async function runTarget(target, point, ctx) {
  const { backends, identity, workDir, config, loads } = ctx;
  const name = `${point.orders}-${point.latency_ms}ms-c${point.concurrency}-${target}${point.profiled ? '-jfr' : ''}`;
  const logFile = path.join(workDir, `${name}.log`);
  const jfrFile = point.profiled ? path.join(workDir, `${name}.jfr`) : null;
  const port = await procs.freePort();
  const managementPort = await procs.freePort();
  const command = targetCommand(target, { port, managementPort, backends, identity, workDir, jfrFile });

  // Freshly seeded data for every run: each one starts from the same store and PG state.
  const storeSeed = await procs.admin(backends.store.admin, 'seed', { db: DATABASE, count: point.orders });
  const sandboxSeed = await procs.admin(backends.sandbox.admin, 'seed', { count: point.orders });
  process.stdout.write(`  ${name}: seeded ${storeSeed.rows} rows (${storeSeed.ms} ms) and ${sandboxSeed.payments} PG payments; `);

  const proc = procs.start(command.command, command.args, { env: command.env, logFile, cwd: command.cwd || workDir });
  try {
    const readyMs = await procs.awaitReady(proc, command.readyUrl, command.isReady, 120000);
    process.stdout.write(`ready in ${Math.round(readyMs)} ms; `);
    const url = `http://127.0.0.1:${port}`;
    const phase = { url, token: identity.token, connections: point.concurrency, orders: point.orders, refundAmount: REFUND_WON };

    await drive({ ...phase, ...config.warmup });
    const before = { counts: await quiet(backends, point.latency_ms), ...cpu(proc.pid, backends), at: new Date() };
    const result = await drive({ ...phase, ...config.measure });
    const after = { counts: await quiet(backends, point.latency_ms), ...cpu(proc.pid, backends), at: new Date() };
    const peakRss = procs.peakRssMiB(proc.pid);
    const figures = report.figures({
      result, before, after, readyMs, peakRssMiB: peakRss, latencyMs: point.latency_ms,
      load: loads.between(before.at.getTime(), after.at.getTime()),
    });
    await procs.stop(proc, 40000);
    if (target === 'service') {
      const warnings = blockedThreadWarnings(logFile, { from: before.at, to: after.at });
      figures.blocked_thread_warnings = warnings.total;
      figures.blocked_thread_warnings_measured = warnings.measured;
      figures.blocked_thread_sites = warnings.top_sites;
    }
    if (jfrFile) {
      ctx.profile = { run: name, jfr_file: path.relative(ROOT, jfrFile), window: { from: before.at, to: after.at }, figures };
    }
    console.log(`${figures.throughput_rps} refunds/s, p50 ${figures.latency_ms.p50} ms, ${figures.ok} ok, `
      + `${figures.non_2xx} non-2xx, ${figures.errors} errors, ${figures.pg_calls_per_refund} PG calls/refund, `
      + `CPU ${figures.cpu_ms_per_refund} ms/refund, peak RSS ${figures.peak_rss_mib} MiB`);
    return figures;
  } finally {
    await procs.stop(proc, 40000);
  }
}

function cpu(pid, backends) {
  const own = process.cpuUsage();
  return {
    cpu: procs.cpuSeconds(pid),
    store_cpu: procs.cpuSeconds(backends.store.proc.pid),
    sandbox_cpu: procs.cpuSeconds(backends.sandbox.proc.pid),
    // This process runs autocannon.
    load_generator_cpu: (own.user + own.system) / 1e6,
    machine_busy: procs.machineBusySeconds(),
  };
}

async function startBackends(workDir) {
  const classpathFile = path.join(ROOT, 'target', 'bench-classpath.txt');
  const classpath = [path.join(ROOT, 'target', 'test-classes'), path.join(ROOT, 'target', 'classes'),
    fs.readFileSync(classpathFile, 'utf8').trim()].join(':');
  const launch = async (name, mainClass, args, pattern) => {
    const proc = procs.start('java', [...LAUNCHER_JVM, '-cp', classpath, mainClass, ...args],
      { logFile: path.join(workDir, `${name}.log`), cwd: workDir });
    const match = await procs.awaitLine(proc, pattern, 60000);
    return { proc, port: Number(match[1]), admin: Number(match[2]) };
  };
  const [store, sandbox] = await Promise.all([
    launch('store', 'kr.cancelpay.bench.BenchStore', ['--port', '0', '--admin-port', '0'],
      /BENCH-STORE-READY port=(\d+) admin=(\d+)/),
    launch('sandbox', 'kr.cancelpay.bench.BenchSandbox',
      ['--port', '0', '--admin-port', '0', '--imp-key', IMP_KEY, '--imp-secret', IMP_SECRET],
      /BENCH-SANDBOX-READY port=(\d+) admin=(\d+)/),
  ]);
  return { store, sandbox };
}

async function stopBackends(backends) {
  for (const backend of [backends.store, backends.sandbox]) {
    if (!backend) {
      continue;
    }
    await procs.admin(backend.admin, 'stop').catch(() => {});
    await procs.stop(backend.proc, 10000);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = args.smoke ? SMOKE : FULL;
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');
  const workDir = path.join(ROOT, 'target', 'bench', `${config.mode}-${stamp}`);
  fs.mkdirSync(workDir, { recursive: true });
  console.log(`bench: ${config.mode} run, work files in ${path.relative(ROOT, workDir)}`);

  const loads = loadSampler();
  const identity = { ...benchIdentity(path.join(workDir, 'bench-jwt-public.pem'), 6 * 3600), publicKeyFile: path.join(workDir, 'bench-jwt-public.pem') };
  const heaviest = { orders: Math.max(...config.seeds), latency_ms: Math.min(...config.latenciesMs), concurrency: Math.max(...config.concurrencies) };
  let backends = {};
  const runs = [];
  const ctx = { identity, workDir, config, loads };
  try {
    backends = await startBackends(workDir);
    ctx.backends = backends;
    for (const orders of config.seeds) {
      for (const latencyMs of config.latenciesMs) {
        await procs.admin(backends.sandbox.admin, 'latency', { ms: latencyMs });
        for (const concurrency of config.concurrencies) {
          const point = { orders, latency_ms: latencyMs, concurrency };
          const isHeaviest = orders === heaviest.orders && latencyMs === heaviest.latency_ms && concurrency === heaviest.concurrency;
          console.log(`${orders} orders, PG ${latencyMs} ms, ${concurrency} connections${isHeaviest ? ' (the heaviest: profiled after)' : ''}`);
          const service = await runTarget('service', point, ctx);
          if (process.env.BENCH_SERVICE_ONLY) {
            continue; // investigating the service alone: the console lines are the result
          }
          const sample = await runTarget('sample', point, ctx);
          runs.push({ orders, pg_latency_ms: latencyMs, concurrency, heaviest: isHeaviest, service, sample,
            ratios: report.ratios(service, sample) });
          if (isHeaviest) {
            // Once more with the flight recorder on, so its cost stays out of the figures above.
            await runTarget('service', { ...point, profiled: true }, ctx);
          }
        }
      }
    }
  } finally {
    await stopBackends(backends);
    loads.stop();
  }

  if (runs.length === 0) {
    return;
  }
  let profile = null;
  if (ctx.profile) {
    console.log(`profile: summarizing ${ctx.profile.jfr_file}`);
    profile = { run: ctx.profile.run, jfr_file: ctx.profile.jfr_file, figures_with_jfr: ctx.profile.figures,
      ...(await summarize(path.join(ROOT, ctx.profile.jfr_file), ctx.profile.window)) };
  }

  const results = {
    schema: 1,
    mode: config.mode,
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    commit: gitCommit(),
    machine: { ...machine(), load_average_1m: loads.summary() },
    settings: {
      seeds: config.seeds,
      pg_latencies_ms: config.latenciesMs,
      concurrencies: config.concurrencies,
      warmup: config.warmup,
      measure: config.measure,
      refund_won: REFUND_WON,
      idempotency_key: 'a new UUID per request',
      service_jvm: [...SERVICE_JVM, `-Dquarkus.vertx.warning-exception-time=${BLOCKED_LIMIT}`,
        `-Dquarkus.vertx.max-event-loop-execute-time=${BLOCKED_LIMIT}`],
      load_generator: `autocannon ${require('autocannon/package.json').version}`,
    },
    runs,
    profile,
  };
  results.targets = report.targets(results);

  const outFile = args.out || (config.mode === 'full'
    ? path.join(BENCH, 'results', `${startedAt.toISOString().slice(0, 10)}.json`)
    : path.join(workDir, 'result.json'));
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), outFile)}`);
  if (config.mode === 'full' && !args.out) {
    report.updateReadme(path.join(BENCH, 'README.md'), results, path.relative(BENCH, outFile));
    console.log('bench/README.md: results table updated');
  }
  console.log(report.targetsText(results.targets));
}

function gitCommit() {
  try {
    return execFileSync('git', ['-C', ROOT, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch (e) {
    return null;
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack || error}`);
  process.exit(1);
});
