import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenForStop, type StopRequest } from './stopRequest.js';

describe('listenForStop', () => {
  let stop: StopRequest | undefined;
  afterEach(() => {
    stop?.dispose();
    vi.restoreAllMocks();
  });

  it('resolves with the first signal and exits 130 on the second', async () => {
    const warnings: string[] = [];
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    stop = listenForStop((msg) => warnings.push(msg));
    expect(stop.isRequested).toBe(false);
    process.emit('SIGTERM', 'SIGTERM');
    expect(stop.isRequested).toBe(true);
    expect(await stop.requested).toBe('SIGTERM');
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    expect(warnings).toEqual([expect.stringContaining('second signal')]);
  });

  it('a request without a signal counts as the first: the next signal exits', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    stop = listenForStop(() => {});
    stop.request('--for 5');
    stop.request('input idle for 2s');
    expect(await stop.requested).toBe('--for 5');
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
  });

  it('dispose removes its handlers', () => {
    const before = process.listenerCount('SIGTERM');
    stop = listenForStop(() => {});
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(process.listenerCount('SIGINT')).toBeGreaterThan(0);
    stop.dispose();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
