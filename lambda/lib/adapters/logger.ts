import { LogFormatter, LogItem, Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Powertools drops null-valued keys; we keep them, because `"webhook_id":null` says "Stream sent
 * this without a webhook id", which a missing key does not.
 */
class KeepNullsLogItem extends LogItem {
  override removeEmptyKeys(attributes: LogAttributes): LogAttributes {
    return Object.fromEntries(
      Object.entries(attributes).filter(([, value]) => value !== undefined),
    );
  }
}

/**
 * Powertools' layout with `msg` as the message key: every line is one JSON object whose `msg` a
 * person can grep for (`"msg":"event handled"`) the same way in CloudWatch and in `npm run dev`.
 */
class StreamEventsLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, extra: LogAttributes): LogItem {
    return new KeepNullsLogItem({
      attributes: {
        level: attributes.logLevel,
        msg: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(extra);
  }
}

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logFormatter: new StreamEventsLogFormatter() });
}

/**
 * Whether a `debug` line would print. Powertools does work for every `debug` call, printed or
 * not (in Lambda it reads and splits `_X_AMZN_TRACE_ID`: about 1 µs and 1 KB of garbage), so a
 * per-event debug line asks first. Our loggers buffer nothing (no `logBufferOptions`); a logger
 * that buffered debug lines would need them called regardless.
 */
export function debugEnabled(logger: Logger): boolean {
  return logger.level <= LogLevelThreshold.DEBUG;
}

export type { Logger };
