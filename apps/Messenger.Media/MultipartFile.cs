using Messenger.Core.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Messenger.Media;

/// <summary>The <c>file</c> part of a <c>multipart/form-data</c> upload, as a stream over the request body (never buffered whole).</summary>
internal static class MultipartFile
{
    public const string FieldName = "file";
    private const int MaxBoundaryLength = 256;

    public static bool IsMultipart(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>The body of the first part named <c>file</c>; parts before it are skipped.</summary>
    public static async Task<Stream> OpenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
        {
            throw ChatException.BadRequest("The multipart body has no valid boundary.");
        }

        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FieldName, StringComparison.Ordinal))
            {
                return section.Body;
            }
        }

        throw ChatException.BadRequest($"The multipart body has no '{FieldName}' part.");
    }
}
