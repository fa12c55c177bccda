using System.Net;
using System.Text.Json;
using Messenger.Core.Domain;

namespace Messenger.Push;

/// <summary>
/// An FCM error answer, <c>{"error":{"code","status","message","details":[{"@type":"...FcmError","errorCode"},
/// {"@type":"...BadRequest","fieldViolations":[{"field"}]}]}}</c>, and what it means for the device.
/// </summary>
internal sealed record FcmError(HttpStatusCode StatusCode, string? Status, string? ErrorCode, IReadOnlyList<string> ViolatedFields)
{
    public const string Unregistered = "UNREGISTERED";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string NotFound = "NOT_FOUND";
    public const string TokenField = "message.token";

    private const string FcmErrorType = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
    private const string BadRequestType = "type.googleapis.com/google.rpc.BadRequest";

    /// <summary>
    /// UNREGISTERED, or a 404 NOT_FOUND: the token is gone. INVALID_ARGUMENT: the token is malformed, unless FCM names
    /// another field of the message as the invalid one (then our payload is at fault and the device is kept).
    /// Everything else is a plain failure.
    /// </summary>
    public PushResult Classify()
    {
        if (ErrorCode == Unregistered || (StatusCode == HttpStatusCode.NotFound && (Status ?? ErrorCode) == NotFound))
        {
            return PushResult.TokenInvalid;
        }

        if ((ErrorCode ?? Status) == InvalidArgument)
        {
            return ViolatedFields.Any(field => field != TokenField) ? PushResult.Failed : PushResult.TokenInvalid;
        }

        return PushResult.Failed;
    }

    public static FcmError Parse(HttpStatusCode statusCode, ReadOnlySpan<byte> body)
    {
        string? status = null;
        string? errorCode = null;
        var fields = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(body);
            if (JsonDocument.TryParseValue(ref reader, out var document))
            {
                using (document)
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object
                        && document.RootElement.TryGetProperty("error", out var error)
                        && error.ValueKind == JsonValueKind.Object)
                    {
                        status = StringOf(error, "status");
                        if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
                        {
                            foreach (var detail in details.EnumerateArray())
                            {
                                ReadDetail(detail, ref errorCode, fields);
                            }
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): only the HTTP status is known.
        }

        return new FcmError(statusCode, status, errorCode, fields);
    }

    private static void ReadDetail(JsonElement detail, ref string? errorCode, List<string> fields)
    {
        if (detail.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var type = StringOf(detail, "@type");
        if (type == FcmErrorType)
        {
            errorCode ??= StringOf(detail, "errorCode");
        }
        else if (type == BadRequestType
                 && detail.TryGetProperty("fieldViolations", out var violations)
                 && violations.ValueKind == JsonValueKind.Array)
        {
            foreach (var violation in violations.EnumerateArray())
            {
                if (violation.ValueKind == JsonValueKind.Object && StringOf(violation, "field") is { } field)
                {
                    fields.Add(field);
                }
            }
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
