using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// The server side of <c>dapr.proto.runtime.v1.Dapr</c> for the methods the double answers. <c>Dapr.Protos</c> ships
/// the messages and only the client stub, so the method descriptors are declared here (what protoc's server stub
/// would generate); ASP.NET Core gRPC binds the overrides of these virtual methods.
/// </summary>
[BindServiceMethod(typeof(DaprServiceBase), nameof(BindService))]
public abstract class DaprServiceBase
{
    public const string ServiceName = "dapr.proto.runtime.v1.Dapr";

    public static IReadOnlySet<string> Implemented { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(GetState), nameof(GetBulkState), nameof(SaveState), nameof(DeleteState), nameof(DeleteBulkState),
        nameof(ExecuteStateTransaction), nameof(PublishEvent), nameof(GetSecret), nameof(GetBulkSecret), nameof(GetMetadata),
    };

    public static void BindService(ServiceBinderBase binder, DaprServiceBase? service)
    {
        binder.AddMethod(Unary<GetStateRequest, GetStateResponse>(nameof(GetState)), service is null ? null : service.GetState);
        binder.AddMethod(Unary<GetBulkStateRequest, GetBulkStateResponse>(nameof(GetBulkState)), service is null ? null : service.GetBulkState);
        binder.AddMethod(Unary<SaveStateRequest, Empty>(nameof(SaveState)), service is null ? null : service.SaveState);
        binder.AddMethod(Unary<DeleteStateRequest, Empty>(nameof(DeleteState)), service is null ? null : service.DeleteState);
        binder.AddMethod(Unary<DeleteBulkStateRequest, Empty>(nameof(DeleteBulkState)), service is null ? null : service.DeleteBulkState);
        binder.AddMethod(Unary<ExecuteStateTransactionRequest, Empty>(nameof(ExecuteStateTransaction)), service is null ? null : service.ExecuteStateTransaction);
        binder.AddMethod(Unary<PublishEventRequest, Empty>(nameof(PublishEvent)), service is null ? null : service.PublishEvent);
        binder.AddMethod(Unary<GetSecretRequest, GetSecretResponse>(nameof(GetSecret)), service is null ? null : service.GetSecret);
        binder.AddMethod(Unary<GetBulkSecretRequest, GetBulkSecretResponse>(nameof(GetBulkSecret)), service is null ? null : service.GetBulkSecret);
        binder.AddMethod(Unary<GetMetadataRequest, GetMetadataResponse>(nameof(GetMetadata)), service is null ? null : service.GetMetadata);
    }

    public virtual Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "GetState is not implemented by the sidecar double"));

    public virtual Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "GetBulkState is not implemented by the sidecar double"));

    public virtual Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "SaveState is not implemented by the sidecar double"));

    public virtual Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "DeleteState is not implemented by the sidecar double"));

    public virtual Task<Empty> DeleteBulkState(DeleteBulkStateRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "DeleteBulkState is not implemented by the sidecar double"));

    public virtual Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "ExecuteStateTransaction is not implemented by the sidecar double"));

    public virtual Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "PublishEvent is not implemented by the sidecar double"));

    public virtual Task<GetSecretResponse> GetSecret(GetSecretRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "GetSecret is not implemented by the sidecar double"));

    public virtual Task<GetBulkSecretResponse> GetBulkSecret(GetBulkSecretRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "GetBulkSecret is not implemented by the sidecar double"));

    public virtual Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "GetMetadata is not implemented by the sidecar double"));

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var requestParser = new MessageParser<TRequest>(() => new TRequest());
        var responseParser = new MessageParser<TResponse>(() => new TResponse());
        return new Method<TRequest, TResponse>(
            MethodType.Unary,
            ServiceName,
            name,
            Marshallers.Create(m => m.ToByteArray(), requestParser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), responseParser.ParseFrom));
    }
}
