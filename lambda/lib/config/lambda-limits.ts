/**
 * Lambda's synchronous invocation payload limit, 6 MB (6 MiB), for the request as for the
 * response. What API Gateway hands a function (the whole event: body, headers, request context)
 * and what an SQS event source puts in one batch must fit it.
 */
export const LAMBDA_INVOKE_PAYLOAD_BYTES = 6_291_456;
