namespace Messenger.Sidecar.State;

public enum StateErrorKind
{
    /// <summary>The ETag given does not match (daprd: gRPC Aborted, HTTP 409).</summary>
    ETagMismatch,

    /// <summary>The ETag given is not a version number (daprd: gRPC InvalidArgument, HTTP 400).</summary>
    ETagInvalid,

    /// <summary>A write without ETag to a key written with first-write concurrency (Redis: a script error that
    /// daprd reports as an internal error, not as an ETag mismatch).</summary>
    Refused,
}
