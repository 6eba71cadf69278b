// Preloaded with `node -r` into local test servers that hard-code their listen address
// (fauxqs calls fastify's listen with host "0.0.0.0" and has no option to change it).
// Every net.Server.listen that would bind all interfaces, or names no host, is rewritten to bind
// SPIKEWATCH_LISTEN_HOST (default 127.0.0.1), so nothing is reachable from outside this machine.
"use strict";
const net = require("net");
const loopback = process.env.SPIKEWATCH_LISTEN_HOST || "127.0.0.1";
const wildcard = new Set([undefined, null, "", "0.0.0.0", "::", "[::]"]);
const original = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === "object" && !Array.isArray(first)) {
    // listen(options[, callback]); an IPC path or an existing handle is left alone
    if (first.path === undefined && first.handle === undefined && first._handle === undefined
        && first.fd === undefined && wildcard.has(first.host)) {
      args[0] = Object.assign({}, first, { host: loopback });
    }
  } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback])
    if (typeof args[1] === "string") {
      if (wildcard.has(args[1])) args[1] = loopback;
    } else {
      args.splice(1, 0, loopback);
    }
  }
  return original.apply(this, args);
};
