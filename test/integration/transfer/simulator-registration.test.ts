/**
 * The platform simulator's agency registration: registering again (each start of an agency's
 * system) keeps an operator's hold and the delivery token unless the registration names them,
 * so a restart neither lifts a hold nor leaves deliveries without their bearer token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildPlatformSimulator } from '../../../simulators/transfer-platform/app';

test('a second registration without hold or token keeps both; a later one may change them', async () => {
  const received: Array<string | undefined> = [];
  const inbound = http.createServer((req, res) => {
    received.push(req.headers.authorization);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => inbound.listen(0, '127.0.0.1', resolve));
  const inboundUrl = `http://127.0.0.1:${(inbound.address() as AddressInfo).port}/api/v1/platform/messages`;
  const sim = await buildPlatformSimulator({ tickMs: 20, maxBackoffMs: 50 });
  const put = (body: object) => sim.inject({ method: 'PUT', url: '/agencies/620102', payload: body });
  const delivered = async () =>
    (await sim.inject({ method: 'GET', url: '/messages?to=620102' })).json<Array<{ status: string }>>();
  try {
    expect((await put({ inboundUrl, token: 'tok-1', hold: true })).statusCode).toBe(200);
    // The agency's system starts again: it registers its address, naming neither hold nor token.
    expect((await put({ inboundUrl })).statusCode).toBe(200);
    const send = await sim.inject({
      method: 'POST',
      url: '/messages',
      payload: {
        messageId: 'msg-registration-1',
        type: 'reminder',
        transferId: 'T-1',
        from: '610102',
        to: '620102',
        sentAt: new Date().toISOString(),
        payload: {},
      },
    });
    expect(send.statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    // Still held: nothing delivered.
    expect(received).toEqual([]);
    expect((await delivered()).map((m) => m.status)).toEqual(['pending']);

    await sim.inject({ method: 'POST', url: '/agencies/620102/hold', payload: { hold: false } });
    for (let i = 0; i < 100 && (await delivered())[0]?.status !== 'delivered'; i++)
      await new Promise((r) => setTimeout(r, 50));
    // Delivered with the token of the first registration.
    expect((await delivered()).map((m) => m.status)).toEqual(['delivered']);
    expect(received).toEqual(['Bearer tok-1']);

    // A registration that names a new token replaces it.
    await put({ inboundUrl, token: 'tok-2' });
    await sim.inject({
      method: 'POST',
      url: '/messages',
      payload: {
        messageId: 'msg-registration-2',
        type: 'reminder',
        transferId: 'T-1',
        from: '610102',
        to: '620102',
        sentAt: new Date().toISOString(),
        payload: {},
      },
    });
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(received).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  } finally {
    await sim.close();
    await new Promise((r) => inbound.close(r));
  }
});
