using System.Globalization;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Messenger.Sidecar.State;
using Counted = Messenger.Sidecar.Operation;

namespace Messenger.Sidecar.Daprd;

/// <summary>
/// The calls of <c>dapr.proto.runtime.v1.Dapr</c> that the apps make through DaprClient, answered as daprd answers
/// them (codes and messages from daprd's sources). The service is bound from the <c>Dapr.Protos</c> message types;
/// the package ships only the client side, so the method descriptors are declared here. Any other method of the
/// service is answered Unimplemented and logged loudly (see <see cref="SidecarHost"/>).
/// </summary>
public sealed class DaprGrpcService(SidecarRuntime runtime) : DaprServiceBase
{
    private const string TtlMetadata = "ttlInSeconds";
    private const string TtlExpireTimeMetadata = "ttlExpireTime";

    public override Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context) => Answer(() =>
    {
        var store = runtime.StateStore(request.StoreName);
        var entry = store.Get(runtime.StateKey(request.StoreName, request.Key));
        runtime.CountKeys(Counted.StateRead, [request.Key]);
        var response = new GetStateResponse();
        if (entry is not null)
        {
            response.Data = ByteString.CopyFrom(entry.Value);
            response.Etag = entry.ETag;
            AddExpiry(response.Metadata, entry);
        }

        return response;
    });

    public override Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext context) => Answer(() =>
    {
        var store = runtime.StateStore(request.StoreName);
        var response = new GetBulkStateResponse();
        if (request.Keys.Count == 0)
        {
            return response;
        }

        var keys = request.Keys.ToDictionary(k => runtime.StateKey(request.StoreName, k), k => k, StringComparer.Ordinal);
        foreach (var (storedKey, entry) in store.BulkGet([.. keys.Keys]))
        {
            var item = new BulkStateItem { Key = keys[storedKey] };
            if (entry is not null)
            {
                item.Data = ByteString.CopyFrom(entry.Value);
                item.Etag = entry.ETag;
                AddExpiry(item.Metadata, entry);
            }

            response.Items.Add(item);
        }

        runtime.CountKeys(Counted.StateRead, keys.Values);
        return response;
    });

    public override Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context) => Answer(() =>
    {
        var store = runtime.StateStore(request.StoreName);
        var operations = new List<StateOperation>();
        foreach (var item in request.States)
        {
            if (string.IsNullOrEmpty(item.Key))
            {
                throw new DaprApiException(StatusCode.InvalidArgument, 400, "ERR_STATE_SAVE", "state key cannot be empty");
            }

            operations.Add(ToOperation(runtime.StateKey(request.StoreName, item.Key), item, item.Value.ToByteArray()));
        }

        // Several items are written one by one, as daprd's bulk set does for stores without a bulk operation.
        runtime.CountKeys(Counted.StateWrite, request.States.Select(item => item.Key));
        Each(operations, store, error => new DaprApiException(Code(error), 500, "ERR_STATE_SAVE", $"failed saving state in state store {request.StoreName}: {error.Message}"));
        return new Empty();
    });

    public override Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext context) => Answer(() =>
    {
        var store = runtime.StateStore(request.StoreName);
        var key = runtime.StateKey(request.StoreName, request.Key);
        runtime.CountKeys(Counted.StateWrite, [request.Key]);
        Each([new StateOperation(key, null, request.Etag?.Value, Concurrency(request.Options), null)], store,
            error => new DaprApiException(Code(error), 500, "ERR_STATE_DELETE", $"failed deleting state with key {request.Key}: {error.Message}"));
        return new Empty();
    });

    public override Task<Empty> DeleteBulkState(DeleteBulkStateRequest request, ServerCallContext context) => Answer(() =>
    {
        var store = runtime.StateStore(request.StoreName);
        var operations = request.States.Select(item => ToOperation(runtime.StateKey(request.StoreName, item.Key), item, null)).ToList();
        runtime.CountKeys(Counted.StateWrite, request.States.Select(item => item.Key));
        Each(operations, store, error => new DaprApiException(Code(error), 500, "ERR_STATE_DELETE_BULK", $"failed deleting state in state store {request.StoreName}: {error.Message}"));
        return new Empty();
    });

    public override Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context) => Answer(() =>
    {
        var store = runtime.StateStore(request.StoreName);
        var operations = new List<StateOperation>();
        foreach (var operation in request.Operations)
        {
            var key = runtime.StateKey(request.StoreName, operation.Request.Key);
            operations.Add(operation.OperationType switch
            {
                "upsert" => ToOperation(key, operation.Request, operation.Request.Value.ToByteArray()),
                "delete" => ToOperation(key, operation.Request, null),
                _ => throw new DaprApiException(StatusCode.Unimplemented, 500, "ERR_NOT_SUPPORTED_STATE_OPERATION", $"operation type {operation.OperationType} not supported"),
            });
        }

        runtime.Count(Counted.StateTransaction);
        runtime.CountKeys(Counted.StateWrite, request.Operations.Select(o => o.Request.Key));
        try
        {
            store.Apply(operations);
        }
        catch (StateStoreException error)
        {
            // daprd reports every failed transaction as Internal, an ETag mismatch included.
            throw new DaprApiException(StatusCode.Internal, 500, "ERR_STATE_TRANSACTION", $"error while executing state transaction: {error.Message}");
        }

        return new Empty();
    });

    public override Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context) => Answer(() =>
    {
        var traceParent = context.RequestHeaders.GetValue("traceparent");
        var traceState = context.RequestHeaders.GetValue("tracestate");
        runtime.Publish(request.PubsubName, request.Topic, request.Data.ToByteArray(), request.DataContentType, traceParent, traceState);
        return new Empty();
    });

    public override Task<GetSecretResponse> GetSecret(GetSecretRequest request, ServerCallContext context) => Answer(() =>
    {
        var store = runtime.SecretStore(request.StoreName);
        runtime.Count(Counted.SecretRead);
        var secrets = store.ReadAll();
        if (!secrets.TryGetValue(request.Key, out var value))
        {
            throw new DaprApiException(StatusCode.Internal, 500, "ERR_SECRET_GET", $"failed getting secret with key {request.Key} from secret store {request.StoreName}: secret {request.Key} not found");
        }

        var response = new GetSecretResponse();
        response.Data[request.Key] = value;
        return response;
    });

    public override Task<GetBulkSecretResponse> GetBulkSecret(GetBulkSecretRequest request, ServerCallContext context) => Answer(() =>
    {
        var store = runtime.SecretStore(request.StoreName);
        runtime.Count(Counted.SecretRead);
        var response = new GetBulkSecretResponse();
        foreach (var (key, value) in store.ReadAll())
        {
            var secret = new SecretResponse();
            secret.Secrets[key] = value;
            response.Data[key] = secret;
        }

        return response;
    });

    public override Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext context) => Answer(() =>
    {
        var response = new GetMetadataResponse { Id = runtime.AppId, RuntimeVersion = "messenger-sidecar-double" };
        foreach (var component in runtime.Components)
        {
            response.RegisteredComponents.Add(new RegisteredComponents { Name = component.Name, Type = component.Type, Version = "v1" });
        }

        foreach (var subscription in runtime.Subscriptions)
        {
            var item = new PubsubSubscription { PubsubName = subscription.PubSub, Topic = subscription.Topic, DeadLetterTopic = subscription.DeadLetterTopic ?? string.Empty, Rules = new PubsubSubscriptionRules() };
            item.Rules.Rules.Add(new PubsubSubscriptionRule { Path = subscription.Route });
            response.Subscriptions.Add(item);
        }

        response.ExtendedMetadata["appInstance"] = runtime.Name;
        response.ActorRuntime = new ActorRuntime
        {
            RuntimeStatus = runtime.ActorTypes.Count > 0 ? ActorRuntime.Types.ActorRuntimeStatus.Running : ActorRuntime.Types.ActorRuntimeStatus.Initializing,
            HostReady = runtime.Ready,
            Placement = "messenger-sidecar-double",
        };
        foreach (var type in runtime.ActorTypes)
        {
            response.ActorRuntime.ActiveActors.Add(new ActiveActorsCount { Type = type, Count = runtime.Infrastructure.Placement.ActiveCount(runtime.Name) });
        }

        return response;
    });

    private Task<T> Answer<T>(Func<T> handler)
    {
        try
        {
            return Task.FromResult(handler());
        }
        catch (DaprApiException error)
        {
            SidecarLog.Refused(runtime.Logger, runtime.Name, "gRPC", error.Message);
            throw error.ToRpc();
        }
    }

    private static StateOperation ToOperation(string key, StateItem item, byte[]? value) =>
        new(key, value, item.Etag?.Value, Concurrency(item.Options), Ttl(item.Metadata));

    private static StateConcurrency Concurrency(StateOptions? options) => options?.Concurrency switch
    {
        StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite => StateConcurrency.FirstWrite,
        StateOptions.Types.StateConcurrency.ConcurrencyLastWrite => StateConcurrency.LastWrite,
        _ => StateConcurrency.Unspecified,
    };

    private static int? Ttl(MapField<string, string> metadata) =>
        metadata.TryGetValue(TtlMetadata, out var value) && !string.IsNullOrEmpty(value)
            ? int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ttl)
                ? ttl
                : throw new DaprApiException(StatusCode.InvalidArgument, 400, "ERR_MALFORMED_REQUEST", $"invalid value for {TtlMetadata}: {value}")
            : null;

    private static void AddExpiry(MapField<string, string> metadata, StateEntry entry)
    {
        if (entry.ExpiresAt is { } at)
        {
            metadata[TtlExpireTimeMetadata] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
    }

    private static StatusCode Code(StateStoreException error) => error.Kind switch
    {
        StateErrorKind.ETagMismatch => StatusCode.Aborted,
        StateErrorKind.ETagInvalid => StatusCode.InvalidArgument,
        _ => StatusCode.Internal,
    };

    private static void Each(IReadOnlyList<StateOperation> operations, StateStore store, Func<StateStoreException, DaprApiException> failure)
    {
        StateStoreException? first = null;
        foreach (var operation in operations)
        {
            try
            {
                store.Apply([operation]);
            }
            catch (StateStoreException error)
            {
                first ??= error;
            }
        }

        if (first is not null)
        {
            throw failure(first);
        }
    }
}
