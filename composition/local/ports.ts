/** Local ports: a free one to listen on, and whether one is taken. No other imports (tests load it). */
import fs from 'node:fs';
import net from 'node:net';

/**
 * The lowest port the kernel hands out for "any port" (a listen on port 0, an outgoing
 * connection): Linux's ip_local_port_range, 32768 by default.
 */
function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 21_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const given = new Set<number>();

function listenOn(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.on('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/**
 * A port free now, for a server started a moment later. Chosen below the kernel's ephemeral
 * range: a port from that range (a listen on port 0) can be taken in between by any program
 * asking for "any port" — the Temporal dev server picks its internal ports so, and took a
 * simulator's port that way. Never the same port twice in one process.
 */
export async function freePort(): Promise<number> {
  const low = 20_000;
  const high = ephemeralLow();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const candidate = low + Math.floor(Math.random() * (high - low));
    if (given.has(candidate)) continue;
    if ((await listenOn(candidate)) === candidate) {
      given.add(candidate);
      return candidate;
    }
  }
  const any = await listenOn(0);
  if (any === undefined) throw new Error('no free port');
  given.add(any);
  return any;
}

export async function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
