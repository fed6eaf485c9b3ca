/**
 * A network tripwire for child Node processes, loaded before anything else with
 *   NODE_OPTIONS=--import=<file URL of this module>
 * (test/e2e/network.test.ts). It wraps every way Node code can reach the network:
 *
 *   net.Socket.prototype.connect (every TCP client socket: net, tls, http, https, http2, fetch/undici),
 *   net.connect / net.createConnection, tls.connect, http(s).request / get, http2.connect,
 *   dns.lookup / lookupService / resolve* / reverse (callback, Resolver and promises APIs),
 *   dgram.createSocket, globalThis.fetch, globalThis.WebSocket and EventSource when present,
 *
 * and appends one JSON line per attempt to the file named by NET_GUARD_LOG. Unix-domain sockets and
 * named pipes (what Node uses for child-process stdio and IPC) are let through and not recorded.
 *
 * NET_GUARD_MODE:
 *   block (default)  every inet attempt is recorded and then refused with an ENETGUARD error;
 *   allow-loopback   attempts are recorded; connections to 127.0.0.0/8, ::1 and "localhost" go
 *                    through (so a fake server in the test sees them too), anything else is refused.
 *
 * Child processes are recorded too (kind "spawn", not a network attempt by themselves), so a test
 * can tell that no curl/ssh/nc was started behind Node's back. On load the module writes a "loaded"
 * line: a test that finds none knows the guard was not active, rather than trusting an empty log.
 *
 * Builtin ESM named exports are re-synchronised (module.syncBuiltinESMExports) after patching, so
 * `import { connect } from 'node:net'` sees the wrapper as well as `net.connect`.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const LOG = process.env.NET_GUARD_LOG;
const MODE = process.env.NET_GUARD_MODE === 'allow-loopback' ? 'allow-loopback' : 'block';

function record(kind, detail) {
  if (!LOG) return;
  const line = JSON.stringify({ pid: process.pid, kind, ...detail, argv: process.argv.slice(1, 4) });
  try {
    appendFileSync(LOG, `${line}\n`);
  } catch {
    // A log that cannot be written must not change the program under test; the missing
    // "loaded" line makes the test fail instead.
  }
}

function refusal(what) {
  const error = new Error(`net-guard: network access refused (${what})`);
  error.code = 'ENETGUARD';
  return error;
}

const isLoopback = (host) => {
  if (host === undefined || host === null || host === '') return true; // Node's default: localhost
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
};

/** Whether an inet attempt to `host` may proceed in the current mode. */
const allowed = (host) => MODE === 'allow-loopback' && isLoopback(host);

/**
 * The target of a connect call in any of its shapes: (options[, cb]), (port[, host][, cb]),
 * (path[, cb]), or the normalised array net.connect passes to Socket#connect.
 */
function connectTarget(args) {
  let a = args;
  if (Array.isArray(a[0])) a = a[0];
  const first = a[0];
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined && first.path !== null) return { pipe: String(first.path) };
    return { host: first.host ?? first.hostname ?? 'localhost', port: first.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { pipe: first };
  return { host: typeof a[1] === 'string' ? a[1] : 'localhost', port: first };
}

const wrap = (obj, name, make) => {
  const original = obj?.[name];
  if (typeof original !== 'function' || original.__netGuard) return;
  const wrapped = make(original);
  Object.defineProperty(wrapped, '__netGuard', { value: true });
  try {
    obj[name] = wrapped;
  } catch {
    Object.defineProperty(obj, name, { value: wrapped, writable: true, configurable: true });
  }
};

// --- TCP, TLS --------------------------------------------------------------------------------
const net = require('node:net');
const tls = require('node:tls');

wrap(net.Socket.prototype, 'connect', (original) =>
  function connect(...args) {
    const t = connectTarget(args);
    if (t.pipe !== undefined) return original.apply(this, args); // unix socket / pipe: local
    record('connect', { host: String(t.host), port: Number(t.port) });
    if (!allowed(t.host)) throw refusal(`connect ${t.host}:${t.port}`);
    return original.apply(this, args);
  },
);
for (const name of ['connect', 'createConnection']) {
  wrap(net, name, (original) =>
    function (...args) {
      const t = connectTarget(args);
      if (t.pipe === undefined) record(`net.${name}`, { host: String(t.host), port: Number(t.port) });
      return original.apply(this, args);
    },
  );
}
// A listening inet socket is a network socket too (recorded; a pipe or handle is not).
wrap(net.Server.prototype, 'listen', (original) =>
  function listen(...args) {
    const [first] = args;
    const local = typeof first === 'string' && !/^\d+$/.test(first)
      || (first !== null && typeof first === 'object' && (first.path !== undefined || first._handle !== undefined || first.fd !== undefined || first.handle !== undefined));
    if (!local) record('listen', { port: Number(typeof first === 'object' && first !== null ? first.port : first) || 0, host: String((typeof first === 'object' && first !== null ? first.host : args[1]) ?? '') });
    return original.apply(this, args);
  },
);
wrap(tls, 'connect', (original) =>
  function (...args) {
    const t = connectTarget(args);
    if (t.pipe === undefined) record('tls.connect', { host: String(t.host), port: Number(t.port) });
    return original.apply(this, args);
  },
);

// --- HTTP(S), HTTP/2 -------------------------------------------------------------------------
const urlOf = (args) => {
  const [first, second] = args;
  if (typeof first === 'string') return first;
  if (first instanceof URL) return first.href;
  const o = first && typeof first === 'object' ? first : second && typeof second === 'object' ? second : {};
  return `${o.protocol ?? 'http:'}//${o.hostname ?? o.host ?? 'localhost'}${o.port ? `:${o.port}` : ''}${o.path ?? '/'}`;
};
const hostOf = (url) => {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
};
for (const id of ['node:http', 'node:https']) {
  const mod = require(id);
  for (const name of ['request', 'get']) {
    wrap(mod, name, (original) =>
      function (...args) {
        const url = urlOf(args);
        record(`${id.slice(5)}.${name}`, { url });
        if (!allowed(hostOf(url))) throw refusal(`${id.slice(5)}.${name} ${url}`);
        return original.apply(this, args);
      },
    );
  }
}
const http2 = require('node:http2');
wrap(http2, 'connect', (original) =>
  function (authority, ...rest) {
    const url = String(authority instanceof URL ? authority.href : authority);
    record('http2.connect', { url });
    if (!allowed(hostOf(url))) throw refusal(`http2.connect ${url}`);
    return original.call(this, authority, ...rest);
  },
);

// --- DNS -------------------------------------------------------------------------------------
const dns = require('node:dns');
const DNS_METHODS = [
  'lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname',
  'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse',
];
const guardDns = (target, label, promised) => {
  for (const name of DNS_METHODS) {
    wrap(target, name, (original) =>
      function (...args) {
        const host = String(args[0]);
        record('dns', { api: `${label}.${name}`, host });
        if (!(name === 'lookup' && allowed(host))) {
          const error = refusal(`${label}.${name} ${host}`);
          if (promised) return Promise.reject(error);
          const cb = args.findLast((a) => typeof a === 'function');
          if (cb) {
            process.nextTick(() => cb(error));
            return undefined;
          }
          throw error;
        }
        return original.apply(this, args);
      },
    );
  }
};
guardDns(dns, 'dns', false);
guardDns(dns.Resolver?.prototype, 'dns.Resolver', false);
guardDns(dns.promises, 'dns.promises', true);
guardDns(dns.promises?.Resolver?.prototype, 'dns.promises.Resolver', true);

// --- UDP -------------------------------------------------------------------------------------
const dgram = require('node:dgram');
wrap(dgram, 'createSocket', (original) =>
  function (...args) {
    record('dgram.createSocket', { type: String(typeof args[0] === 'object' ? args[0]?.type : args[0]) });
    if (MODE !== 'allow-loopback') throw refusal('dgram.createSocket');
    return original.apply(this, args);
  },
);

// --- fetch (undici), WebSocket, EventSource ----------------------------------------------------
if (typeof globalThis.fetch === 'function') {
  const original = globalThis.fetch;
  const guarded = function fetch(input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : String(input?.url ?? input);
    record('fetch', { url });
    if (!allowed(hostOf(url))) return Promise.reject(new TypeError('fetch failed', { cause: refusal(`fetch ${url}`) }));
    return original.call(this, input, init);
  };
  Object.defineProperty(guarded, '__netGuard', { value: true });
  Object.defineProperty(globalThis, 'fetch', { value: guarded, writable: true, configurable: true, enumerable: true });
}
for (const name of ['WebSocket', 'EventSource']) {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  if (!descriptor) continue;
  const Original = globalThis[name]; // reading it defines a lazy interface, if that is what it is
  if (typeof Original !== 'function') continue;
  const Guarded = new Proxy(Original, {
    construct(target, args, newTarget) {
      const url = String(args[0]);
      record(name, { url });
      if (!allowed(hostOf(url))) throw refusal(`${name} ${url}`);
      return Reflect.construct(target, args, newTarget);
    },
  });
  Object.defineProperty(globalThis, name, { value: Guarded, writable: true, configurable: true, enumerable: false });
}

// --- child processes (recorded, not blocked) ---------------------------------------------------
const cp = require('node:child_process');
for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']) {
  wrap(cp, name, (original) =>
    function (...args) {
      const [file, rest] = args;
      record('spawn', { api: name, file: String(file), args: Array.isArray(rest) ? rest.map(String) : [] });
      return original.apply(this, args);
    },
  );
}

syncBuiltinESMExports();
record('loaded', { mode: MODE, node: process.version });
