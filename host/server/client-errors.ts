import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../../core/index.js';

interface ClientError extends Error {
  code?: string;
}

const answers: Record<string, { status: number; code: ErrorCode; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'CRMSYNC_ERR_REQUEST_TIMEOUT',
    message:
      'the request did not arrive in time; its headers must arrive within host.timeouts.headersMs, the whole request within host.timeouts.requestMs',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'CRMSYNC_ERR_TOO_LARGE',
    message: 'the request headers are larger than the server accepts',
  },
};
const malformed = {
  status: 400,
  code: 'CRMSYNC_ERR_REQUEST_INVALID' as const,
  message: 'the request is not valid HTTP',
};

/**
 * Answers a request the HTTP parser or the server's time limits refused, in crmsync's error
 * shape, and closes its connection. Only on a connection where nothing was written yet: once an
 * answer has begun (a streamed preview), another status line would corrupt it, so the
 * connection is just closed and the client sees the answer end early.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable && socket.bytesWritten === 0) {
    const { status, code, message } = answers[error.code ?? ''] ?? malformed;
    const body = JSON.stringify({ code, message, location: {} });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
