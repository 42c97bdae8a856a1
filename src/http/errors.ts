/**
 * Domain errors. Services throw these; one error handler maps them to HTTP (a Vietnamese page,
 * or `{ error: { code, message, fields } }` on the API). Messages are shown to users as they are.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message = 'Yêu cầu không hợp lệ.', code = 'bad_request') {
    super(400, code, message);
  }
}

/** Input that fails validation: 422 with a message per field. */
export class ValidationError extends AppError {
  constructor(fields: Record<string, string>, message = 'Thông tin nhập chưa hợp lệ, vui lòng kiểm tra các ô được đánh dấu.') {
    super(422, 'validation_failed', message, fields);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Vui lòng đăng nhập để tiếp tục.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Bạn không có quyền thực hiện thao tác này.', code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Không tìm thấy trang hoặc dữ liệu yêu cầu.', code = 'not_found') {
    super(404, code, message);
  }
}

/** The request conflicts with the current state (impossible transition, stale version). */
export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(429, 'too_many_requests', message);
  }
}
