using Microsoft.Extensions.Options;

namespace Messenger.Push;

/// <summary>
/// Accepts "not configured" (neither ProjectId nor CredentialsFile: push is off); otherwise both must be set and the
/// credentials file must be a readable service-account key, so that a broken setup fails at start, not at first push.
/// </summary>
internal sealed class FcmOptionsValidator : IValidateOptions<FcmOptions>
{
    public ValidateOptionsResult Validate(string? name, FcmOptions options)
    {
        var failures = new List<string>();
        var hasProject = !string.IsNullOrWhiteSpace(options.ProjectId);
        var hasCredentials = !string.IsNullOrWhiteSpace(options.CredentialsFile);

        if (hasProject != hasCredentials)
        {
            failures.Add($"{FcmOptions.SectionName}: set both ProjectId and CredentialsFile to turn push on, or neither to leave it off.");
        }

        if (hasProject && !options.ProjectId!.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' or '_'))
        {
            failures.Add($"{FcmOptions.SectionName}:ProjectId may hold only letters, digits, '-', '.', ':' and '_'.");
        }

        if (hasProject && hasCredentials)
        {
            try
            {
                ServiceAccountKey.Load(options.CredentialsFile!);
            }
            catch (InvalidOperationException ex)
            {
                failures.Add(ex.Message);
            }
        }

        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{FcmOptions.SectionName}:Endpoint must be an absolute http(s) URL.");
        }

        if (options.CollapseWindow < TimeSpan.Zero || options.CollapseWindow > TimeSpan.FromHours(1))
        {
            failures.Add($"{FcmOptions.SectionName}:CollapseWindow must be between 0 and 1 hour.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{FcmOptions.SectionName}:MaxRetries must be between 0 and 10.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.AttemptTimeout <= TimeSpan.Zero || options.TotalTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{FcmOptions.SectionName}: RetryBaseDelay, AttemptTimeout and TotalTimeout must be positive.");
        }

        if (options.MaxConcurrentSends is < 1 or > 256)
        {
            failures.Add($"{FcmOptions.SectionName}:MaxConcurrentSends must be between 1 and 256.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
