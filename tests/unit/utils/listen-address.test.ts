import { describe, expect, it } from '@jest/globals';
import { listenAddress } from '../../../src/utils/listen-address.ts';

describe('listenAddress', () => {
  it('prints the wildcard it listens on and a loopback URL one can open', () => {
    expect(listenAddress({ address: '0.0.0.0', family: 'IPv4', port: 3000 })).toEqual({
      listening: '0.0.0.0:3000',
      url: 'http://127.0.0.1:3000',
    });
    expect(listenAddress({ address: '::', family: 'IPv6', port: 3000 })).toEqual({
      listening: '[::]:3000',
      url: 'http://[::1]:3000',
    });
  });

  it('uses a specific address as it is, bracketing IPv6', () => {
    expect(listenAddress({ address: '192.168.1.20', family: 'IPv4', port: 8080 })).toEqual({
      listening: '192.168.1.20:8080',
      url: 'http://192.168.1.20:8080',
    });
    expect(listenAddress({ address: '::1', family: 'IPv6', port: 4000 })).toEqual({
      listening: '[::1]:4000',
      url: 'http://[::1]:4000',
    });
  });
});
