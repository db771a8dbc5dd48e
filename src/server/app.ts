import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { installAuth } from './platform/auth.js';
import { AppError, localeOf, toProblem } from './platform/errors.js';
import type { RouteAccess } from './platform/http.js';
import { fieldErrorsFromZod } from './platform/validation.js';
import { registerModules } from './modules/index.js';

export interface BuildAppOptions {
  config: Config;
  database: Database;
  /** Serve the built web UI (dist/web) when present. */
  serveWeb?: boolean;
  logger?: boolean;
}

const PG_ERRORS: Record<string, AppError> = {
  '23505': new AppError('DUPLICATE'),
  '40001': new AppError('VERSION_CONFLICT'),
  '40P01': new AppError('VERSION_CONFLICT'),
};

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            // No personal data in logs: bodies are never logged, and these headers are redacted.
            redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.headers.authorization'],
          },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    ajv: undefined,
  });
  app.decorate('database', database);
  app.decorate('config', config);
  app.decorateRequest('locale', 'zh');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRequest', async (req, reply) => {
    req.locale = localeOf(req.headers['accept-language']);
    reply.header('x-request-id', req.id);
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    return payload;
  });

  // Every API route must say how it is protected; a route without `access` is a programming error.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
  });

  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    const appErr = toAppError(error, req.locale, (error as { validationContext?: string }).validationContext);
    if (appErr.status >= 500) req.log.error({ err: error }, 'unhandled error');
    const problem = toProblem(appErr, req.locale, req.id, req.url.split('?')[0]);
    reply.status(appErr.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem));
  });

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: config.maxUploadBytes, files: 1, fields: 20 } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Jiuzhu 救助 API',
        version: '1',
        description:
          '社会救助管理系统接口。错误以 RFC 9457 problem+json 返回，含稳定的机器码 `code`。Cookie 会话 + X-CSRF-Token。',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'jz_sid' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  installAuth(app);

  await app.register(async (api) => registerModules(api), { prefix: '/api' });

  const webIndex = join(config.webDir, 'index.html');
  if (opts.serveWeb && existsSync(webIndex)) {
    await app.register(fastifyStatic, { root: config.webDir, wildcard: false, index: ['index.html'] });
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/') || req.method !== 'GET') return sendNotFound(req, reply);
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler(sendNotFound);
  }
  return app;
}

function sendNotFound(req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) {
  const problem = toProblem(new AppError('ROUTE_NOT_FOUND'), req.locale ?? 'zh', req.id, req.url.split('?')[0]);
  return reply.status(404).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem));
}

function toAppError(error: unknown, locale: 'zh' | 'en', context: string | undefined): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { code?: string; statusCode?: number };
  if (hasZodFastifySchemaValidationErrors(e)) {
    return new AppError('VALIDATION_FAILED', { fields: fieldErrorsFromZod(e.validation as never, context, locale) });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('VALIDATION_FAILED', { detail: '请求长度不正确' });
  }
  if (e.code && PG_ERRORS[e.code]) return PG_ERRORS[e.code];
  if (e.code === '22P02' || e.code === '22003' || e.code === '22007' || e.code === '22008') {
    return new AppError('VALIDATION_FAILED', { detail: '数值或日期超出允许范围' });
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', { status: e.statusCode, detail: e.message });
  }
  return new AppError('INTERNAL');
}
