import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import { textWithoutCredentials } from '../core/index.js';

export interface LoggerOptions {
  level?: string;
  /** Where log lines go; standard output by default. */
  stream?: DestinationStream;
}

const scrub = (value: unknown) => (typeof value === 'string' ? textWithoutCredentials(value) : value);

/**
 * The one logger of a runtime, handed to the kernel and to Fastify. Credentials never reach a
 * line: request headers that carry them are removed, and a URL with a user or password in any
 * message or error is shown without them — a safety net behind the connectors' own care.
 */
export function createLogger(options: LoggerOptions | false, level: string): PinoLogger {
  if (options === false) return pino({ level: 'silent' });
  const settings = {
    level: options.level ?? level,
    redact: [
      'req.headers.authorization',
      'req.headers["x-api-key"]',
      'req.headers["x-csrf-token"]',
      'req.headers.cookie',
      'res.headers["set-cookie"]',
    ],
    serializers: {
      err: (error: Error) => {
        const serialised = pino.stdSerializers.err(error);
        return { ...serialised, message: scrub(serialised.message), stack: scrub(serialised.stack) };
      },
    },
    hooks: {
      logMethod(this: PinoLogger, args: unknown[], method: (...rest: unknown[]) => void) {
        method.apply(this, args.map(scrub));
      },
    },
  };
  return options.stream ? pino(settings, options.stream) : pino(settings);
}
