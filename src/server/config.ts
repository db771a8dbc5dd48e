import { resolve } from 'node:path';

/** Runtime configuration, all from the environment (see the README's table). */
export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  databaseUrl?: string;
  dataDir: string;
  /** The city (or province) whose division codes are loaded: 4 digits for a city, 2 for a province. */
  regionRoot: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  secureCookies: boolean;
  maxUploadBytes: number;
  logLevel: string;
  /** Directory for uploaded files and generated documents (notices, exports). */
  filesDir: string;
  webDir: string;
}

function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`环境变量 ${name} 必须是正整数 (${name} must be a positive integer)`);
  return n;
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const env = (
    process.env.NODE_ENV === 'production' ? 'production' : process.env.NODE_ENV === 'test' ? 'test' : 'development'
  ) as Config['env'];
  const dataDir = resolve(process.env.JIUZHU_DATA_DIR || './data');
  const regionRoot = process.env.JIUZHU_REGION_ROOT || '6208';
  if (!/^\d{2}(\d{2})?$/.test(regionRoot)) {
    throw new Error(
      'JIUZHU_REGION_ROOT 必须是 2 位省级或 4 位市级代码 (must be a 2-digit province or 4-digit city code)',
    );
  }
  return {
    env,
    host: process.env.HOST || '127.0.0.1',
    port: int('PORT', 3000),
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir,
    regionRoot,
    sessionIdleMinutes: int('JIUZHU_SESSION_IDLE_MINUTES', 30),
    sessionMaxHours: int('JIUZHU_SESSION_MAX_HOURS', 12),
    secureCookies: process.env.JIUZHU_SECURE_COOKIES === '1' || env === 'production',
    maxUploadBytes: int('JIUZHU_MAX_UPLOAD_MB', 50) * 1024 * 1024,
    logLevel: process.env.LOG_LEVEL || (env === 'test' ? 'silent' : 'info'),
    filesDir: resolve(process.env.JIUZHU_FILES_DIR || `${dataDir}/files`),
    webDir: resolve(process.env.JIUZHU_WEB_DIR || './dist/web'),
    ...overrides,
  };
}
