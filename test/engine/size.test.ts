import { describe, expect, it } from 'vitest';
import { checkSize, DEFAULT_MAX_FILE_SIZE, formatSize, MAX_MAX_FILE_SIZE, parseSize } from '../../src/engine/size.js';

describe('sizes for --max-file-size and maxFileSize', () => {
  it('reads bytes and K/M/G suffixes as powers of 1024, in any case, with an optional B or iB', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize(4096)).toBe(4096);
    expect(parseSize('512K')).toBe(512 * 1024);
    expect(parseSize('512kb')).toBe(512 * 1024);
    expect(parseSize('50MB')).toBe(50 * 1024 * 1024);
    expect(parseSize('50 MiB')).toBe(50 * 1024 * 1024);
    expect(parseSize('1.5m')).toBe(1.5 * 1024 * 1024);
    expect(parseSize('1G')).toBe(1024 ** 3);
    expect(parseSize(' 10B ')).toBe(10);
  });

  it('refuses what is not a positive size', () => {
    for (const bad of ['', 'lots', '-1', '0', '0K', '1e6', '10 TB', '5 MBs', 'M', '1,000', '0x10']) expect(parseSize(bad), bad).toBeUndefined();
    for (const bad of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(parseSize(bad), String(bad)).toBeUndefined();
  });

  it('accepts sizes up to the 256 MB ceiling and no further', () => {
    expect(checkSize(parseSize('256MB'))).toBe('ok');
    expect(checkSize(MAX_MAX_FILE_SIZE + 1)).toBe('too-big');
    expect(checkSize(parseSize('1G'))).toBe('too-big');
    expect(checkSize(undefined)).toBe('invalid');
    expect(checkSize(DEFAULT_MAX_FILE_SIZE)).toBe('ok');
  });

  it('prints sizes the way the summary line does', () => {
    expect(formatSize(12)).toBe('12 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(DEFAULT_MAX_FILE_SIZE)).toBe('50 MB');
    expect(formatSize(64_000_000)).toBe('61.0 MB');
    expect(formatSize(3 * 1024 ** 3)).toBe('3 GB');
    expect(formatSize(1024 * 1024 - 1)).toBe('1.0 MB');
  });
});
