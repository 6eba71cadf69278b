// Node preload (`node -r ./loopback-listen.cjs`) that keeps a server on the loopback interface.
//
// kinesis-local (kinesis-mock compiled to JavaScript) and fauxqs always listen on 0.0.0.0 and have no host
// option. This rewrites the host of every net.Server#listen call (HTTP and TLS servers are
// net.Servers) to LOOPBACK_HOST (default 127.0.0.1), whether the host was a wildcard, another
// address or omitted, and whatever calling convention was used: listen(port[, host][, backlog][, cb])
// or listen({port, host, ...}[, cb]). Pipes/handles (no port) are left alone.
'use strict';
const net = require('net');

const host = process.env.LOOPBACK_HOST || '127.0.0.1';
const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    if (first.port !== undefined && first.path === undefined && first.handle === undefined
        && first._handle === undefined && first.fd === undefined) {
      args[0] = Object.assign({}, first, { host });
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port, [host], [backlog], [callback]): drop any given host, insert ours.
    const rest = args.slice(1);
    if (typeof rest[0] === 'string') rest.shift();
    args = [first, host, ...rest];
  }
  return originalListen.apply(this, args);
};
