using Grpc.Core;

namespace Messenger.Sidecar.Daprd;

/// <summary>An API error as daprd answers it: a gRPC status for the gRPC API, an HTTP status with
/// <c>{"errorCode","message"}</c> for the HTTP API; messages are daprd's own.</summary>
public sealed class DaprApiException(StatusCode grpcCode, int httpStatus, string errorCode, string message) : Exception(message)
{
    public StatusCode GrpcCode { get; } = grpcCode;

    public int HttpStatus { get; } = httpStatus;

    public string ErrorCode { get; } = errorCode;

    public RpcException ToRpc() => new(new Status(GrpcCode, Message));
}
