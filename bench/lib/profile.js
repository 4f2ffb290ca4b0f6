// The service's JFR recording, boiled down to what a reader needs: where the CPU went (top frames,
// self and inclusive, and the service's own frames), what was allocated, and GC pauses, counted over
// the measured phase only (the recording runs from process start).
'use strict';

const { spawn } = require('node:child_process');
const readline = require('node:readline');

/** "20:29:26.013" (the JVM's local time of day) in ms since midnight. */
function timeOfDayMs(text) {
  const match = /(\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(text);
  if (!match) {
    return null;
  }
  const [, h, m, s, frac = '0'] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3));
}

function dateTimeOfDayMs(date) {
  return ((date.getHours() * 60 + date.getMinutes()) * 60 + date.getSeconds()) * 1000 + date.getMilliseconds();
}

function inWindow(t, window) {
  if (t === null) {
    return false;
  }
  return window.from <= window.to ? t >= window.from && t <= window.to : t >= window.from || t <= window.to;
}

/** Streams `jfr print --events <event>` and calls onEvent(fields, frames) per event. */
function forEachEvent(jfrFile, event, stackDepth, onEvent) {
  return new Promise((resolve, reject) => {
    const child = spawn('jfr', ['print', '--events', event, '--stack-depth', String(stackDepth), jfrFile],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout });
    let fields = null;
    let frames = null;
    let inStack = false;
    lines.on('line', (line) => {
      if (line.startsWith(`${event} {`)) {
        fields = {};
        frames = [];
        inStack = false;
      } else if (fields && line === '}') {
        onEvent(fields, frames);
        fields = null;
      } else if (fields && inStack) {
        if (line.trim() === ']') {
          inStack = false;
        } else if (line.trim() !== '...') {
          frames.push(line.trim().replace(/\s+line: \d+$/, ''));
        }
      } else if (fields && /^\s+stackTrace = \[$/.test(line)) {
        inStack = true;
      } else if (fields) {
        const match = /^\s+(\w+) = (.*)$/.exec(line);
        if (match) {
          fields[match[1]] = match[2];
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`jfr print ${event} exited ${code}`))));
  });
}

// Each sample is charged to the library of its innermost frame that belongs to one of these (JDK
// frames in between are charged to their caller): self time by component.
const COMPONENTS = [
  ['JWT verification', 'org.jose4j.', 'io.smallrye.jwt.', 'io.quarkus.smallrye.jwt.'],
  ['BSON encoding', 'org.bson.'],
  ['MongoDB driver', 'com.mongodb.', 'io.quarkus.mongodb.'],
  ['JSON (Jackson)', 'com.fasterxml.jackson.'],
  ['logging', 'org.jboss.logmanager.', 'org.jboss.logging.', 'io.quarkus.logging.', 'io.quarkus.bootstrap.logging.'],
  ['metrics', 'io.micrometer.', 'io.quarkus.micrometer.'],
  ['fault tolerance', 'io.smallrye.faulttolerance.', 'io.quarkus.smallrye.faulttolerance.'],
  ['REST client', 'org.jboss.resteasy.reactive.client.', 'io.quarkus.rest.client.', 'io.quarkus.restclient.'],
  ['REST server', 'org.jboss.resteasy.reactive.', 'io.quarkus.resteasy.reactive.', 'io.quarkus.rest.'],
  ['security', 'io.quarkus.security.', 'io.quarkus.vertx.http.runtime.security.'],
  ['context propagation', 'io.smallrye.context.', 'io.quarkus.smallrye.context.'],
  ['Mutiny', 'io.smallrye.mutiny.'],
  ['CDI (ArC)', 'io.quarkus.arc.'],
  ['Vert.x', 'io.vertx.'],
  ['Netty', 'io.netty.'],
  ['service code', 'kr.cancelpay.'],
];

function component(stack) {
  for (const frame of stack) {
    const hit = COMPONENTS.find(([, ...prefixes]) => prefixes.some((prefix) => frame.startsWith(prefix)));
    if (hit) {
      return hit[0];
    }
  }
  return 'JDK only';
}

// JFR events that mean a thread waited (parked, monitor, socket or file I/O; the profile settings
// record those of 10-20 ms and more). On an event loop, any of them is a blocking call.
const BLOCKING_EVENTS = ['jdk.ThreadPark', 'jdk.JavaMonitorEnter', 'jdk.JavaMonitorWait', 'jdk.SocketRead',
  'jdk.SocketWrite', 'jdk.FileRead', 'jdk.FileWrite', 'jdk.ThreadSleep'];

function top(counts, total, n) {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([frame, count]) => ({ frame, samples: count, percent: Number(((100 * count) / total).toFixed(1)) }));
}

function bump(map, key, by = 1) {
  map.set(key, (map.get(key) || 0) + by);
}

/** "12.5 ms", "1.2 s", "850 us" in ms. */
function durationMs(text) {
  const match = /([\d.]+)\s*(ns|us|ms|s)\b/.exec(text || '');
  if (!match) {
    return 0;
  }
  const factor = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 }[match[2]];
  return Number(match[1]) * factor;
}

/** "18.6 MB", "271.8 kB" in bytes. */
function bytes(text) {
  const match = /([\d.]+)\s*(bytes|kB|MB|GB)/.exec(text || '');
  if (!match) {
    return 0;
  }
  return Number(match[1]) * { bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[match[2]];
}

/**
 * Summary of jfrFile over window {from: Date, to: Date}: top frames, the service's own frames,
 * allocation by class, GC pauses.
 */
async function summarize(jfrFile, window, { frames = 15 } = {}) {
  const range = { from: dateTimeOfDayMs(window.from), to: dateTimeOfDayMs(window.to) };
  const self = new Map();
  const inclusive = new Map();
  const own = new Map();
  const threads = new Map();
  let samples = 0;
  const components = new Map();
  await forEachEvent(jfrFile, 'jdk.ExecutionSample', 64, (fields, stack) => {
    if (!inWindow(timeOfDayMs(fields.startTime), range) || stack.length === 0) {
      return;
    }
    samples++;
    bump(components, component(stack));
    bump(self, stack[0]);
    new Set(stack).forEach((frame) => bump(inclusive, frame));
    new Set(stack.filter((frame) => frame.startsWith('kr.cancelpay.'))).forEach((frame) => bump(own, frame));
    bump(threads, (fields.sampledThread || '?').replace(/ \(javaThreadId.*$/, '').replace(/"/g, '').replace(/-\d+$/, '-N'));
  });

  const allocatedByClass = new Map();
  const allocatedBySite = new Map();
  let allocated = 0;
  await forEachEvent(jfrFile, 'jdk.ObjectAllocationSample', 8, (fields, stack) => {
    if (!inWindow(timeOfDayMs(fields.startTime), range)) {
      return;
    }
    const weight = bytes(fields.weight);
    allocated += weight;
    bump(allocatedByClass, (fields.objectClass || '?').replace(/ \(classLoader.*$/, ''), weight);
    // The first frame outside the JDK's own packages says who asked for the memory.
    const site = stack.find((frame) => !/^(java|javax|jdk|sun)\./.test(frame)) || stack[0] || '?';
    bump(allocatedBySite, site, weight);
  });

  let gcCount = 0;
  let gcPauseMs = 0;
  let gcLongestMs = 0;
  await forEachEvent(jfrFile, 'jdk.GarbageCollection', 1, (fields) => {
    if (!inWindow(timeOfDayMs(fields.startTime), range)) {
      return;
    }
    gcCount++;
    gcPauseMs += durationMs(fields.sumOfPauses);
    gcLongestMs = Math.max(gcLongestMs, durationMs(fields.longestPause));
  });

  const blocking = new Map();
  const blockingSites = new Map();
  let blockingCount = 0;
  for (const event of BLOCKING_EVENTS) {
    await forEachEvent(jfrFile, event, 12, (fields, stack) => {
      if (!inWindow(timeOfDayMs(fields.startTime), range) || !/vert\.x-eventloop-thread/.test(fields.eventThread || '')) {
        return;
      }
      blockingCount++;
      bump(blocking, event);
      const site = stack.find((frame) => !/^(java|jdk|sun)\./.test(frame)) || stack[0] || '?';
      bump(blockingSites, `${event}: ${site}`);
    });
  }

  const mib = (value) => Number((value / (1024 * 1024)).toFixed(1));
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    execution_samples: samples,
    threads: top(threads, samples, 10),
    by_component: top(components, samples, COMPONENTS.length + 1).map(({ frame, samples: n, percent }) => ({ component: frame, samples: n, percent })),
    top_self_frames: top(self, samples, frames),
    top_inclusive_frames: top(inclusive, samples, frames),
    top_service_frames: top(own, samples, frames),
    allocation: {
      sampled_mib: mib(allocated),
      by_class: [...allocatedByClass.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
        .map(([cls, weight]) => ({ class: cls, mib: mib(weight), percent: Number(((100 * weight) / allocated).toFixed(1)) })),
      by_site: [...allocatedBySite.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
        .map(([site, weight]) => ({ site, mib: mib(weight), percent: Number(((100 * weight) / allocated).toFixed(1)) })),
    },
    event_loop_waits: {
      events: blockingCount,
      by_event: Object.fromEntries(blocking),
      top_sites: [...blockingSites.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([site, count]) => ({ site, count })),
    },
    gc: { collections: gcCount, pause_ms: Number(gcPauseMs.toFixed(1)), longest_pause_ms: Number(gcLongestMs.toFixed(1)) },
  };
}

module.exports = { summarize, timeOfDayMs };
