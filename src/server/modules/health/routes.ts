import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type App, typed } from '../../platform/http.js';

export async function healthRoutes(app: App) {
  const r = typed(app);
  r.get('/health', { config: { access: { public: true } }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  r.get(
    '/ready',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['platform'],
        summary: '就绪检查（数据库可用）',
        response: { 200: z.object({ status: z.literal('ready'), database: z.string() }) },
      },
    },
    async () => {
      await app.database.db.execute(sql`SELECT 1`);
      return { status: 'ready' as const, database: app.database.kind };
    },
  );
}
